package streams_test

import (
	"testing"

	"host/bindings/internal/jstest"
)

// asyncIter is the key for-await uses (esbuild's helper falls back to
// Symbol.for when the engine has no Symbol.asyncIterator).
const asyncIter = `const AI = Symbol.asyncIterator ?? Symbol.for("Symbol.asyncIterator");
const collect = async (rs) => { const out = []; const it = rs[AI](); for (let r = await it.next(); !r.done; r = await it.next()) out.push(r.value); return out; };
`

func TestStreams(t *testing.T) {
	jstest.RunCases(t, []jstest.Case{
		{Name: "reader", Src: `const rs = new ReadableStream({ start(c) { c.enqueue("a"); c.enqueue("b"); c.close(); } });
			const r = rs.getReader(); const out = [rs.locked];
			for (let x = await r.read(); !x.done; x = await r.read()) out.push(x.value);
			r.releaseLock(); out.push(rs.locked); return out`, Want: `[true,"a","b",false]`},
		{Name: "async iteration", Src: asyncIter + `let n = 0;
			const rs = new ReadableStream({ pull(c) { n < 3 ? c.enqueue(n++) : c.close(); } });
			return await collect(rs)`, Want: `[0,1,2]`},
		{Name: "iteration stops early and cancels", Src: `const AI = Symbol.asyncIterator ?? Symbol.for("Symbol.asyncIterator"); let why;
			const rs = new ReadableStream({ pull(c) { c.enqueue(1); }, cancel(r) { why = r; } });
			const it = rs[AI](); await it.next(); await it.return("done"); return [why, rs.locked]`, Want: `["done",false]`},
		{Name: "pipeThrough and pipeTo", Src: `const seen = [];
			const up = new TransformStream({ transform(chunk, c) { c.enqueue(chunk.toUpperCase()); } });
			const rs = new ReadableStream({ start(c) { c.enqueue("hi"); c.enqueue("there"); c.close(); } });
			await rs.pipeThrough(up).pipeTo(new WritableStream({ write(chunk) { seen.push(chunk); } }));
			return seen`, Want: `["HI","THERE"]`},
		{Name: "tee", Src: asyncIter + `const rs = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); c.close(); } });
			const [a, b] = rs.tee(); return [await collect(a), await collect(b)]`, Want: `[[1,2],[1,2]]`},
		{Name: "backpressure: desiredSize and pull only when wanted", Src: `let pulls = 0, ctl;
			const rs = new ReadableStream({ start(c) { ctl = c; }, pull(c) { pulls++; c.enqueue(pulls); } }, new CountQueuingStrategy({ highWaterMark: 2 }));
			await new Promise((r) => setTimeout(r, 5));
			const before = [pulls, ctl.desiredSize];
			const r = rs.getReader(); await r.read(); await new Promise((r) => setTimeout(r, 5));
			return [before, pulls, ctl.desiredSize]`, Want: `[[2,0],3,0]`},
		{Name: "writer backpressure", Src: `let release; const gate = new Promise((r) => (release = r)); const log = [];
			const ws = new WritableStream({ async write(chunk) { log.push("write " + chunk); await gate; } }, { highWaterMark: 1 });
			const w = ws.getWriter(); log.push(w.desiredSize);
			w.write("a"); w.write("b"); log.push(w.desiredSize);
			release(); await w.close(); log.push("closed"); return log`, Want: `[1,-1,"write a","write b","closed"]`},
		{Name: "byte length strategy", Src: `const s = new ByteLengthQueuingStrategy({ highWaterMark: 16 }); return [s.highWaterMark, s.size(new Uint8Array(5))]`, Want: `[16,5]`},
		{Name: "errors reach the reader", Src: `const rs = new ReadableStream({ pull(c) { c.error(new TypeError("bad chunk")); } });
			await rs.getReader().read()`, Err: "bad chunk"},
		{Name: "cancel reaches the source", Src: `let why; const rs = new ReadableStream({ cancel(r) { why = r; } });
			await rs.cancel("not needed"); return why`, Want: `"not needed"`},
		{Name: "locked stream", Src: `const rs = new ReadableStream(); rs.getReader(); rs.getReader()`, Err: "locked"},
		{Name: "ReadableStream.from", Src: asyncIter + `return await collect(ReadableStream.from(["x", "y"]))`, Want: `["x","y"]`},
		{Name: "byob reader", Src: `const rs = new ReadableStream({ type: "bytes", pull(c) { c.enqueue(new Uint8Array([1, 2, 3])); c.close(); } });
			const r = rs.getReader({ mode: "byob" }); const x = await r.read(new Uint8Array(8)); return Array.from(x.value)`, Want: `[1,2,3]`},
		{Name: "TextEncoderStream keeps a split surrogate pair", Src: asyncIter + `const s = new TextEncoderStream(); const w = s.writable.getWriter();
			const emoji = "\u{1F600}"; w.write("a" + emoji[0]); w.write(emoji[1]); w.close();
			return [s.encoding, (await collect(s.readable)).map((c) => hex(c))]`, Want: `["utf-8",["61","f09f9880"]]`},
		{Name: "TextEncoderStream lone surrogate at the end", Src: asyncIter + `const s = new TextEncoderStream(); const w = s.writable.getWriter();
			w.write("\uD83D"); w.close(); return (await collect(s.readable)).map((c) => hex(c))`, Want: `["efbfbd"]`},
		{Name: "TextDecoderStream keeps a split character", Src: asyncIter + `const s = new TextDecoderStream(); const w = s.writable.getWriter();
			w.write(new Uint8Array([0x68, 0xc3])); w.write(new Uint8Array([0xa9])); w.close();
			return [s.encoding, s.fatal, (await collect(s.readable)).join("|")]`, Want: `["utf-8",false,"h|é"]`},
		{Name: "TextDecoderStream wants bytes", Src: `const s = new TextDecoderStream(); const w = s.writable.getWriter();
			w.write("text").catch(() => {}); await s.readable.getReader().read()`, Err: "must be ArrayBuffers"},
		{Name: "TextDecoderStream fatal", Src: `const s = new TextDecoderStream("utf-8", { fatal: true }); const w = s.writable.getWriter();
			w.write(new Uint8Array([0xff])).catch(() => {}); await s.readable.getReader().read()`, Err: "not valid"},
		{Name: "globals are not enumerable", Src: `return Object.keys(globalThis).filter((k) => /Stream/.test(k))`, Want: `[]`},
	}, installs...)
}
