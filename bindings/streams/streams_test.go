package streams_test

import "testing"

// asyncIter is the key for-await uses (esbuild's helper falls back to
// Symbol.for when the engine has no Symbol.asyncIterator).
const asyncIter = `const AI = Symbol.asyncIterator ?? Symbol.for("Symbol.asyncIterator");
const collect = async (rs) => { const out = []; const it = rs[AI](); for (let r = await it.next(); !r.done; r = await it.next()) out.push(r.value); return out; };
`

func TestStreams(t *testing.T) {
	runCases(t, []jsCase{
		{name: "reader", src: `const rs = new ReadableStream({ start(c) { c.enqueue("a"); c.enqueue("b"); c.close(); } });
			const r = rs.getReader(); const out = [rs.locked];
			for (let x = await r.read(); !x.done; x = await r.read()) out.push(x.value);
			r.releaseLock(); out.push(rs.locked); return out`, want: `[true,"a","b",false]`},
		{name: "async iteration", src: asyncIter + `let n = 0;
			const rs = new ReadableStream({ pull(c) { n < 3 ? c.enqueue(n++) : c.close(); } });
			return await collect(rs)`, want: `[0,1,2]`},
		{name: "iteration stops early and cancels", src: `const AI = Symbol.asyncIterator ?? Symbol.for("Symbol.asyncIterator"); let why;
			const rs = new ReadableStream({ pull(c) { c.enqueue(1); }, cancel(r) { why = r; } });
			const it = rs[AI](); await it.next(); await it.return("done"); return [why, rs.locked]`, want: `["done",false]`},
		{name: "pipeThrough and pipeTo", src: `const seen = [];
			const up = new TransformStream({ transform(chunk, c) { c.enqueue(chunk.toUpperCase()); } });
			const rs = new ReadableStream({ start(c) { c.enqueue("hi"); c.enqueue("there"); c.close(); } });
			await rs.pipeThrough(up).pipeTo(new WritableStream({ write(chunk) { seen.push(chunk); } }));
			return seen`, want: `["HI","THERE"]`},
		{name: "tee", src: asyncIter + `const rs = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); c.close(); } });
			const [a, b] = rs.tee(); return [await collect(a), await collect(b)]`, want: `[[1,2],[1,2]]`},
		{name: "backpressure: desiredSize and pull only when wanted", src: `let pulls = 0, ctl;
			const rs = new ReadableStream({ start(c) { ctl = c; }, pull(c) { pulls++; c.enqueue(pulls); } }, new CountQueuingStrategy({ highWaterMark: 2 }));
			await new Promise((r) => setTimeout(r, 5));
			const before = [pulls, ctl.desiredSize];
			const r = rs.getReader(); await r.read(); await new Promise((r) => setTimeout(r, 5));
			return [before, pulls, ctl.desiredSize]`, want: `[[2,0],3,0]`},
		{name: "writer backpressure", src: `let release; const gate = new Promise((r) => (release = r)); const log = [];
			const ws = new WritableStream({ async write(chunk) { log.push("write " + chunk); await gate; } }, { highWaterMark: 1 });
			const w = ws.getWriter(); log.push(w.desiredSize);
			w.write("a"); w.write("b"); log.push(w.desiredSize);
			release(); await w.close(); log.push("closed"); return log`, want: `[1,-1,"write a","write b","closed"]`},
		{name: "byte length strategy", src: `const s = new ByteLengthQueuingStrategy({ highWaterMark: 16 }); return [s.highWaterMark, s.size(new Uint8Array(5))]`, want: `[16,5]`},
		{name: "errors reach the reader", src: `const rs = new ReadableStream({ pull(c) { c.error(new TypeError("bad chunk")); } });
			await rs.getReader().read()`, err: "bad chunk"},
		{name: "cancel reaches the source", src: `let why; const rs = new ReadableStream({ cancel(r) { why = r; } });
			await rs.cancel("not needed"); return why`, want: `"not needed"`},
		{name: "locked stream", src: `const rs = new ReadableStream(); rs.getReader(); rs.getReader()`, err: "locked"},
		{name: "ReadableStream.from", src: asyncIter + `return await collect(ReadableStream.from(["x", "y"]))`, want: `["x","y"]`},
		{name: "byob reader", src: `const rs = new ReadableStream({ type: "bytes", pull(c) { c.enqueue(new Uint8Array([1, 2, 3])); c.close(); } });
			const r = rs.getReader({ mode: "byob" }); const x = await r.read(new Uint8Array(8)); return Array.from(x.value)`, want: `[1,2,3]`},
		{name: "TextEncoderStream keeps a split surrogate pair", src: asyncIter + `const s = new TextEncoderStream(); const w = s.writable.getWriter();
			const emoji = "\u{1F600}"; w.write("a" + emoji[0]); w.write(emoji[1]); w.close();
			return [s.encoding, (await collect(s.readable)).map((c) => hex(c))]`, want: `["utf-8",["61","f09f9880"]]`},
		{name: "TextEncoderStream lone surrogate at the end", src: asyncIter + `const s = new TextEncoderStream(); const w = s.writable.getWriter();
			w.write("\uD83D"); w.close(); return (await collect(s.readable)).map((c) => hex(c))`, want: `["efbfbd"]`},
		{name: "TextDecoderStream keeps a split character", src: asyncIter + `const s = new TextDecoderStream(); const w = s.writable.getWriter();
			w.write(new Uint8Array([0x68, 0xc3])); w.write(new Uint8Array([0xa9])); w.close();
			return [s.encoding, s.fatal, (await collect(s.readable)).join("|")]`, want: `["utf-8",false,"h|é"]`},
		{name: "TextDecoderStream wants bytes", src: `const s = new TextDecoderStream(); const w = s.writable.getWriter();
			w.write("text").catch(() => {}); await s.readable.getReader().read()`, err: "must be ArrayBuffers"},
		{name: "TextDecoderStream fatal", src: `const s = new TextDecoderStream("utf-8", { fatal: true }); const w = s.writable.getWriter();
			w.write(new Uint8Array([0xff])).catch(() => {}); await s.readable.getReader().read()`, err: "not valid"},
		{name: "globals are not enumerable", src: `return Object.keys(globalThis).filter((k) => /Stream/.test(k))`, want: `[]`},
	})
}
