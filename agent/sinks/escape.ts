// agent/sinks/escape.ts: every string from a log line is hostile. Each place text goes gets its own escaping:
// the terminal (control characters and bidirectional overrides shown, never obeyed) and Slack mrkdwn (&, <, >,
// which would otherwise make <!channel> a mention and <url|text> a disguised link). HTML is escaped by the
// report templates (Handlebars), CSV in reports/audit, email headers by nodemailer.

// C0 controls except tab and newline, DEL, C1 controls, and the Unicode bidirectional overrides and isolates.
const TERMINAL_UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/** Text fit for a terminal: control characters written as \xNN (or \u{NNNN}) instead of acted on. */
export function terminal(s: string): string {
  return s.replace(TERMINAL_UNSAFE, (c) => {
    const code = c.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

/** Text fit for Slack mrkdwn: only &, < and > are control characters there. */
export function slackText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
