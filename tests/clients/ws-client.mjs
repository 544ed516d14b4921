// A WebSocket client built on Node's `ws` package, driven by the .NET tests against EchoBridge's /websockify.
// Usage: node ws-client.mjs <url> <protocols|-> <send-file|-> <expect-bytes> <receive-file|->
// Sends the file in odd-sized pieces (messages split over frames), collects <expect-bytes> from the server into the
// receive file, then waits for the server's close or closes itself when it has everything. Prints one JSON line.
import { readFileSync, writeFileSync } from 'node:fs';
import WebSocket from 'ws';

const [url, protocols, sendFile, expectArg, receiveFile] = process.argv.slice(2);
const expect = Number(expectArg);
const offered = protocols === '-' ? [] : protocols.split(',');
const ws = new WebSocket(url, offered);
const received = [];
let count = 0;
const done = (result) => { console.log(JSON.stringify(result)); process.exit(0); };
setTimeout(() => done({ error: 'timed out' }), 20000).unref();

ws.on('unexpected-response', (_req, res) => {
  let body = '';
  res.on('data', (chunk) => { body += chunk; });
  res.on('end', () => done({ status: res.statusCode, body }));
});
ws.on('error', (err) => done({ error: String(err) }));
ws.on('open', () => {
  if (sendFile !== '-') {
    const data = readFileSync(sendFile);
    let seed = 7;
    for (let offset = 0; offset < data.length;) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const size = Math.min(1 + (seed % 7919), data.length - offset);
      const fin = seed % 3 !== 0 || offset + size === data.length;
      ws.send(data.subarray(offset, offset + size), { binary: true, fin });
      offset += size;
    }
  }
  if (expect === 0 && sendFile !== '-') ws.close(1000, 'done');
});
ws.on('message', (data, isBinary) => {
  if (!isBinary) return done({ error: 'the server sent a text message' });
  received.push(data);
  count += data.length;
  if (count >= expect && expect > 0) {
    if (receiveFile !== '-') writeFileSync(receiveFile, Buffer.concat(received));
    ws.close(1000, 'done');
  }
});
ws.on('close', (code, reason) => done({ protocol: ws.protocol, code, reason: reason.toString(), received: count }));
