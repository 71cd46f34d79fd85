import type { Command } from 'commander';
import { startCsms } from '../csms/server.js';
import { CliError, EXIT, type ExitCode } from './exit-codes.js';

interface CsmsFlags {
  port: string;
  host: string;
  idTags?: string;
  blockedIdTags?: string;
  heartbeat: string;
}

export function registerCsms(program: Command, setExit: (code: ExitCode) => void): void {
  program
    .command('csms')
    .description('serve ev-sim\'s embedded OCPP 1.6J CSMS on its own, until Ctrl-C')
    .option('-p, --port <n>', 'TCP port (0 = a free one)', '9000')
    .option('--host <addr>', 'address to bind (loopback by default)', '127.0.0.1')
    .option('--id-tags <list>', 'comma-separated idTags to accept (default: accept any tag)')
    .option('--blocked-id-tags <list>', 'comma-separated idTags to answer Blocked')
    .option('--heartbeat <s>', 'heartbeat interval given in BootNotification replies, seconds', '300')
    .action(async (flags: CsmsFlags) => {
      const handle = await startCsms({
        host: flags.host,
        port: portFlag(flags.port),
        acceptedIdTags: flags.idTags ? list(flags.idTags) : 'any',
        blockedIdTags: flags.blockedIdTags ? list(flags.blockedIdTags) : [],
        heartbeatIntervalS: Number(flags.heartbeat),
      }).catch((err: Error) => {
        throw new CliError(`could not start the CSMS: ${err.message}`, EXIT.TARGET_UNREACHABLE);
      });
      process.stdout.write(
        `ev-sim CSMS listening\n  OCPP 1.6J   ${handle.url}/<identity>\n` +
          `  ledger      ${handle.httpUrl}/transactions\n  stats       ${handle.httpUrl}/stats\n(Ctrl-C to stop)\n`,
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await handle.close();
      setExit(EXIT.OK);
    });
}

function portFlag(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliError(`--port: "${v}" is not a port number`, EXIT.USAGE);
  return n;
}

function list(v: string): string[] {
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}
