/**
 * Child process: the peer of the round-trip measurement. An ocpp-rpc RPCServer in strict mode (every
 * CALL and reply validated against the OCA 1.6 schemas) on 127.0.0.1, a free port, answering
 * MeterValues with {}. Sends { type: 'ready', url } over IPC; stops on { type: 'stop' } or when the
 * parent goes away.
 */
import ocppRpc from 'ocpp-rpc';
import { sendError } from './procs.mjs';

const { RPCServer } = ocppRpc;

async function main() {
  const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
  server.on('client', (client) => {
    client.handle('MeterValues', () => ({}));
    client.handle('BootNotification', () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }));
  });
  const http = await server.listen(0, '127.0.0.1');
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const hardStop = setTimeout(() => process.exit(0), 3000);
    server.close({ code: 1001, force: true }).finally(() => {
      clearTimeout(hardStop);
      process.exit(0);
    });
  };
  process.on('message', (msg) => msg?.type === 'stop' && stop());
  process.once('disconnect', stop);
  process.send({ type: 'ready', url: `ws://127.0.0.1:${http.address().port}/ocpp` });
}

main().catch(sendError);
