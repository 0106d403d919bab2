/* eslint-disable tracelens/no-process-env -- a stand-in for a service, configured by its environment; no module of the package */
// A stand-in service for the supervisor's tests: answers GET /health on
// PORT, prints a line, and with EXIT_CODE exits at once with that code. With
// GRANDCHILD_PORT it also starts a child of its own that holds that port,
// as `next dev` leaves workers behind.
import { spawn } from 'node:child_process';
import http from 'node:http';

if (process.env.EXIT_CODE) {
  console.log('fake: giving up');
  process.exit(Number(process.env.EXIT_CODE));
}
if (process.env.GRANDCHILD_PORT) {
  const grandchild = spawn(process.execPath, ['-e', `require('http').createServer().listen(${process.env.GRANDCHILD_PORT}, '127.0.0.1')`], { stdio: 'ignore' });
  console.log(`fake: grandchild ${grandchild.pid}`);
}
http
  .createServer((req, res) => res.end(req.url === '/health' ? 'ok' : 'fake'))
  .listen(Number(process.env.PORT), '127.0.0.1', () => console.log(`fake: listening on ${process.env.PORT} as ${process.pid}`));
