import { RawConnection } from './resp.js';
const port = Number(process.argv[2] ?? 7777);
const show = (b: Buffer) => JSON.stringify(b.toString('latin1'));
const a = await RawConnection.connect(port); const b = await RawConnection.connect(port); const s = await RawConnection.connect(port);
const r = async (c: RawConnection, args: string[], q = 80) => { c.send(args); return show(await c.readAvailable(q)); };
await r(a, ['FLUSHALL']);
const sid = (await s.call(['CLIENT','ID'])).toString().slice(1).trim();
const aid = (await a.call(['CLIENT','ID'])).toString().slice(1).trim();
console.log(await r(a, ['CLIENT','TRACKING','on','OPTIN']), await r(a, ['CLIENT','TRACKING','on','OPTOUT']), await r(a, ['CLIENT','TRACKING','on','BCAST']));
console.log(await r(a, ['CLIENT','CACHING','no']), await r(a, ['CLIENT','CACHING','maybe']), await r(a, ['CLIENT','CACHING','yes']), await r(a, ['CLIENT','TRACKINGINFO']), await r(a,['CLIENT','ID']), await r(a, ['CLIENT','TRACKINGINFO']), await r(a, ['PING']), await r(a, ['CLIENT','TRACKINGINFO']));
console.log(await r(a, ['CLIENT','TRACKING','on','REDIRECT', '1', 'REDIRECT', '2']), await r(a, ['CLIENT','TRACKING','off', 'REDIRECT', '99999']), await r(a, ['CLIENT','TRACKING','off', 'PREFIX', 'x']), await r(a, ['CLIENT','TRACKING','on','REDIRECT']));
await r(a, ['CLIENT','TRACKING','off']);
// resp2 tracking client redirect to resp2 sub; flush by self and by other
console.log(await r(s, ['SUBSCRIBE','x']));
console.log(await r(a, ['CLIENT','TRACKING','on','REDIRECT',sid]), await r(b, ['FLUSHDB']), show(await s.readAvailable(80)), await r(a, ['FLUSHDB']), show(await s.readAvailable(80)));
// resp2 tracking client without redirect: nothing
await r(a, ['CLIENT','TRACKING','off']); console.log(await r(a, ['CLIENT','TRACKING','on']), await r(a, ['GET','z']), await r(b, ['SET','z','1']), await r(a, ['PING']));
// redirect to self
console.log(await r(a, ['CLIENT','TRACKING','on','REDIRECT',aid]), await r(a, ['HELLO','3']).then(x=>x.slice(0,10)), await r(a, ['GET','z']), await r(b, ['SET','z','2']), await r(a, ['FLUSHDB']));
// redirect target dies
const t = await RawConnection.connect(port); const tid = (await t.call(['CLIENT','ID'])).toString().slice(1).trim();
await r(a, ['CLIENT','TRACKING','off']);
console.log(await r(a, ['CLIENT','TRACKING','on','REDIRECT',tid]), await r(a, ['GET','z']));
t.sendRaw('QUIT\r\n'); await new Promise(r=>setTimeout(r,100));
console.log('broken', await r(b, ['SET','z','3']), show(await a.readAvailable(80)), await r(a, ['CLIENT','TRACKINGINFO']), await r(a, ['CLIENT','INFO']));
console.log('brokenflush', await r(b, ['FLUSHDB']), show(await a.readAvailable(80)));
// optin
await r(a, ['CLIENT','TRACKING','off']);
console.log(await r(a, ['CLIENT','TRACKING','on','OPTIN']), await r(a, ['GET','o1']), await r(a, ['CLIENT','CACHING','yes']), await r(a, ['CLIENT','ID']), await r(a, ['GET','o2']), await r(a, ['GET','o3']), await r(b, ['MSET','o1','1','o2','1','o3','1']), show(await a.readAvailable(80)));
console.log(await r(a, ['CLIENT','CACHING','yes']), await r(a, ['MULTI']), await r(a, ['GET','o1']), await r(a, ['GET','o2']), await r(a, ['EXEC']), await r(a, ['GET','o3']), await r(b, ['MSET','o1','1','o2','1','o3','1']), show(await a.readAvailable(80)));
console.log(await r(a, ['CLIENT','CACHING','yes']), await r(a, ['FOO']), await r(a, ['GET','o1']), await r(b, ['MSET','o1','1','o2','1','o3','1']), show(await a.readAvailable(80)));
console.log(await r(a, ['CLIENT','CACHING','yes']), await r(a, ['GET']), await r(a, ['GET','o1']), await r(b, ['MSET','o1','1','o2','1','o3','1']), show(await a.readAvailable(80)));
console.log(await r(a, ['CLIENT','TRACKING','on','OPTOUT']), await r(a, ['CLIENT','TRACKING','on','BCAST']), await r(a, ['CLIENT','TRACKING','on']), await r(a, ['CLIENT','TRACKINGINFO']));
process.exit(0);
