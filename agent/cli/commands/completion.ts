// agent/cli/commands/completion.ts: declares `sentra completion bash|zsh`.
import type { Command } from 'commander';

export function registerCompletion(program: Command): void {
  program.command('completion')
    .description('Print the shell completion script for bash or zsh (the .deb installs both).')
    .argument('<shell>', 'bash or zsh')
    .addHelpText('after', '\nFor example: sentra completion bash > /etc/bash_completion.d/sentra\n'
      + '             sentra completion zsh > "${fpath[1]}/_sentra"')
    .action(async (shell: string, _opts: unknown, cmd: Command) => {
      const { SentraError } = await import('../../errors.js');
      if (shell !== 'bash' && shell !== 'zsh') throw new SentraError('ERR_USAGE', `the shell must be bash or zsh, not "${shell}"`);
      let root = cmd;
      while (root.parent) root = root.parent;
      const { describeCommand } = await import('../docs/tree.js');
      const { bashCompletion, zshCompletion } = await import('../docs/completion.js');
      const doc = describeCommand(root);
      process.stdout.write(shell === 'bash' ? bashCompletion(doc) : zshCompletion(doc));
    });
}
