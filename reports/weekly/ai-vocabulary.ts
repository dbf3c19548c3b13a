// reports/weekly/ai-vocabulary.ts: the plain English a model may use around the facts' own words when it
// rephrases the weekly opening. A word in neither this list nor the facts it was given (an invented name
// such as "mallory", a product, a place) makes Sentra keep its own wording. Short on purpose: a refused
// rephrasing costs fluency, never truth.
const WORDS = `
a about above across after again against all almost along also although always among an and another any anyone
anything are area areas around as at away back based be because been before began begin behind being below
besides best between both brief briefly but by came can case cases change changed changes checked checking clear
clearly close closely come comes compared comparison continue continued count counted counts covered current
daily data day days did different direction done down during each earlier early either else elsewhere end ended
ending entire entries entry even event events ever every everything example expected fell few fewer find first
five followed following for from full further generally given go going good great group grouped had has
have having held her here high higher highest his how however if in included including increase increased
indeed instead into is it item items its itself just keep kept kind kinds known last later least less level like
likely line lines little long look looked looking low lower lowest main mainly many may mean meanwhile medium
mentioned might more most mostly much must near nearly new next no none nor not note noted notes now number
numbers observed of off often on once one only or other others otherwise our out over overall own part
particular past per perhaps period place planned plus possible previous prior quiet quieter quite rather reach
reached recent recently recorded regular related remain remained remaining remains reported rest review reviewed
rose routine same saw see seen selected separate several shall she short should showed shown shows similar
since single so some something sometimes soon still such summary than that the their them then there
therefore these they thing things this those through throughout thus time times to today together too top
total totals toward towards under unchanged unless unlike until up upon usual usually very via was
way we week weekly weeks well went were what when where whether which while who whole why will with within
without would year yet you your
access accessed account accounts activity address addresses administrator administrators attempt attempted attempts
authentication background band bands busiest calm changes command commands compliance connection connections
credential credentials decision decisions detected evidence failed failure failures guess guessed guesses guessing
handover host hosts incident incidents internet log logged login logins logs maintenance mapped noise noisy
override overrides password passwords privilege privileged remote risk risks root server servers service services
session sessions signal signals source sources ssh succeeded success successful sudo suppressed system systems
traffic user users watch window windows worth
`;

export const COMMON_WORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter(Boolean));
