package streams_test

import (
	"testing"

	"host/bindings/internal/jstest"
)

// TestStreamsStandard checks host's Streams (the reference implementation)
// against behaviour the Streams standard defines and browsers show: the
// order of source calls, error and close propagation through pipes, tee,
// byte streams with BYOB readers, transform hooks and strategies.
func TestStreamsStandard(t *testing.T) {
	const tick = `const tick = () => new Promise((r) => setTimeout(r, 0));`
	jstest.RunCases(t, []jstest.Case{
		// ReadableStream: the source's start, pull and cancel.
		{Name: "start runs at once, pull waits for start", Src: `const log = []; let done;
			new ReadableStream({ start() { log.push("start"); return new Promise((r) => (done = r)); }, pull() { log.push("pull"); } });
			log.push("after constructor"); await new Promise((r) => setTimeout(r, 5)); log.push("start settles"); done();
			await new Promise((r) => setTimeout(r, 5)); return log`,
			Want: `["start","after constructor","start settles","pull"]`},
		{Name: "start throwing throws from the constructor", Src: `new ReadableStream({ start() { throw new RangeError("no start"); } })`, Err: "no start"},
		{Name: "start rejecting errors the stream", Src: `const rs = new ReadableStream({ start() { return Promise.reject(new Error("late")); } });
			await rs.getReader().read()`, Err: "late"},
		{Name: "source methods see the source as this", Src: `const src = { name: "src", start() { this.seen = this.name; } };
			new ReadableStream(src); return src.seen`, Want: `"src"`},
		{Name: "pull is not called twice at once", Src: tick + `let active = 0, most = 0, n = 0;
			const rs = new ReadableStream({ async pull(c) { active++; most = Math.max(most, active); await tick(); c.enqueue(n++); active--; if (n === 5) c.close(); } }, { highWaterMark: 3 });
			const out = []; for (const r = rs.getReader(); ; ) { const x = await r.read(); if (x.done) break; out.push(x.value); } return [out, most]`,
			Want: `[[0,1,2,3,4],1]`},
		{Name: "close after enqueue delivers the queue first", Src: `const rs = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); c.close(); } });
			const r = rs.getReader(); return [await r.read(), await r.read(), await r.read()]`,
			Want: `[{"value":1,"done":false},{"value":2,"done":false},{"done":true}]`},
		{Name: "enqueue after close is a TypeError", Src: `new ReadableStream({ start(c) { c.close(); c.enqueue(1); } })`, Err: "not in a state that permits enqueue"},
		{Name: "close twice is a TypeError", Src: `new ReadableStream({ start(c) { c.close(); c.close(); } })`, Err: "not in a state that permits close"},
		{Name: "desiredSize follows the queue, 0 once closed", Src: `let ctl; const rs = new ReadableStream({ start(c) { ctl = c; } }, { highWaterMark: 3, size: (ch) => ch.length });
			const a = ctl.desiredSize; ctl.enqueue("ab"); const b = ctl.desiredSize; ctl.close(); const c = ctl.desiredSize;
			await rs.getReader().read(); return [a, b, c, ctl.desiredSize]`,
			Want: `[3,1,1,0]`},
		{Name: "a bad size errors the stream", Src: `const rs = new ReadableStream({ start(c) { try { c.enqueue("x"); } catch (e) {} } }, { size: () => -1 });
			await rs.getReader().read()`, Err: "Size must be a finite"},
		{Name: "negative highWaterMark is a RangeError", Src: `new ReadableStream({}, { highWaterMark: -1 })`, Err: "highWaterMark"},
		{Name: "a bad type is a TypeError", Src: `new ReadableStream({ type: "text" })`, Err: "not a valid enumeration value for ReadableStreamType"},
		{Name: "cancel rejects pending reads as done, then calls the source", Src: `let why; const rs = new ReadableStream({ cancel(r) { why = r; } });
			const r = rs.getReader(); const p = r.read(); await r.cancel("stop"); return [await p, why]`,
			Want: `[{"done":true},"stop"]`},
		{Name: "cancel of a locked stream rejects", Src: `const rs = new ReadableStream(); rs.getReader(); await rs.cancel()`, Err: "already has a reader"},
		{Name: "releaseLock rejects pending reads and closed", Src: `const rs = new ReadableStream(); const r = rs.getReader();
			const p = r.read().catch((e) => e.constructor.name); const c = r.closed.catch((e) => "closed: " + e.constructor.name);
			r.releaseLock(); return [await p, await c, rs.locked]`,
			Want: `["TypeError","closed: TypeError",false]`},
		{Name: "brand checks", Src: `ReadableStream.prototype.getReader.call({})`, Err: "can only be used on a ReadableStream"},
		{Name: "controller cannot be constructed", Src: `new ReadableStreamDefaultController()`, Err: "Illegal constructor"},
		{Name: "from a sync iterable of promises", Src: asyncIter + `return await collect(ReadableStream.from([Promise.resolve(1), 2]))`, Want: `[1,2]`},
		{Name: "from an async generator-like iterable, cancel calls return", Src: `let returned = false, i = 0;
			const src = { [Symbol.asyncIterator ?? Symbol.for("Symbol.asyncIterator")]() { return { next: async () => ({ value: i++, done: false }), return: async () => { returned = true; return {}; } }; } };
			const r = ReadableStream.from(src).getReader(); await r.read(); await r.cancel(); return returned`, Want: `true`},
		{Name: "from a non-iterable", Src: `ReadableStream.from(5)`, Err: "iterable"},
		{Name: "async iteration with preventCancel keeps the stream", Src: `let canceled = false; const AI = Symbol.asyncIterator ?? Symbol.for("Symbol.asyncIterator");
			const rs = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); }, cancel() { canceled = true; } });
			const it = rs.values({ preventCancel: true }); await it.next(); await it.return();
			const r = rs.getReader(); return [canceled, (await r.read()).value]`, Want: `[false,2]`},
		{Name: "async iteration rethrows the stream's error", Src: asyncIter + `const rs = new ReadableStream({ start(c) { c.enqueue(1); c.error(new Error("broken")); } });
			await collect(rs)`, Err: "broken"},

		// tee
		{Name: "tee: both branches canceled cancel the source with both reasons", Src: `let why;
			const rs = new ReadableStream({ cancel(r) { why = r; } }); const [a, b] = rs.tee();
			await Promise.all([a.cancel("a"), b.cancel("b")]); return why`, Want: `["a","b"]`},
		{Name: "tee: one branch canceled, the other still reads", Src: asyncIter + `const rs = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); c.close(); } });
			const [a, b] = rs.tee(); a.cancel(); return await collect(b)`, Want: `[1,2]`},
		{Name: "tee: an error reaches both branches", Src: `const rs = new ReadableStream({ start(c) { c.error(new Error("src failed")); } });
			const [a, b] = rs.tee(); const out = await Promise.allSettled([a.getReader().read(), b.getReader().read()]);
			return out.map((o) => o.reason.message)`, Want: `["src failed","src failed"]`},
		{Name: "tee of a byte stream copies chunks", Src: asyncIter + `const rs = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1, 2])); c.close(); } });
			const [a, b] = rs.tee(); const x = await collect(a); x[0][0] = 9; const y = await collect(b);
			return [Array.from(x[0]), Array.from(y[0])]`, Want: `[[9,2],[1,2]]`},

		// byte streams
		{Name: "bytes: default reader", Src: `const rs = new ReadableStream({ type: "bytes", pull(c) { c.enqueue(new Uint8Array([7, 8])); c.close(); } });
			const r = rs.getReader(); const x = await r.read(); return [x.value instanceof Uint8Array, Array.from(x.value), (await r.read()).done]`,
			Want: `[true,[7,8],true]`},
		{Name: "bytes: autoAllocateChunkSize gives a default reader a byobRequest", Src: `const rs = new ReadableStream({ type: "bytes", autoAllocateChunkSize: 4,
			pull(c) { const v = c.byobRequest.view; v[0] = 42; c.byobRequest.respond(1); } });
			const x = await rs.getReader().read(); return [x.value.byteLength, x.value[0]]`, Want: `[1,42]`},
		{Name: "bytes: BYOB respond fills the caller's view", Src: `const rs = new ReadableStream({ type: "bytes",
			pull(c) { const v = c.byobRequest.view; v.set([1, 2, 3]); c.byobRequest.respond(3); } });
			const r = rs.getReader({ mode: "byob" }); const x = await r.read(new Uint8Array(10));
			return [x.done, x.value.length, Array.from(x.value)]`, Want: `[false,3,[1,2,3]]`},
		{Name: "bytes: BYOB read with min waits for enough bytes", Src: `let n = 0; const rs = new ReadableStream({ type: "bytes",
			pull(c) { n++; c.enqueue(new Uint8Array([n])); } });
			const r = rs.getReader({ mode: "byob" }); const x = await r.read(new Uint8Array(4), { min: 3 });
			return Array.from(x.value)`, Want: `[1,2,3]`},
		{Name: "bytes: BYOB into a Uint16Array keeps whole elements", Src: `const rs = new ReadableStream({ type: "bytes",
			start(c) { c.enqueue(new Uint8Array([1, 0, 2])); } });
			const r = rs.getReader({ mode: "byob" }); const x = await r.read(new Uint16Array(4));
			return [x.value.constructor.name, x.value.length, x.value[0]]`, Want: `["Uint16Array",1,1]`},
		{Name: "bytes: a closed stream answers BYOB reads with an empty done view", Src: `const rs = new ReadableStream({ type: "bytes", start(c) { c.close(); } });
			const x = await rs.getReader({ mode: "byob" }).read(new Uint8Array(2)); return [x.done, x.value.byteLength]`, Want: `[true,0]`},
		{Name: "bytes: respond(0) after close ends a pending BYOB read", Src: `let ctl; const rs = new ReadableStream({ type: "bytes", start(c) { ctl = c; } });
			const r = rs.getReader({ mode: "byob" }); const p = r.read(new Uint8Array(2)); await new Promise((r) => setTimeout(r, 0));
			ctl.close(); ctl.byobRequest.respond(0); const x = await p; return [x.done, x.value.byteLength]`, Want: `[true,0]`},
		{Name: "bytes: BYOB reader on a default stream is refused", Src: `new ReadableStream().getReader({ mode: "byob" })`, Err: "not constructed with a byte source"},
		{Name: "bytes: an empty chunk is refused", Src: `new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array(0)); } })`, Err: "non-zero byteLength"},
		{Name: "bytes: a size function is refused", Src: `new ReadableStream({ type: "bytes" }, { size: () => 1 })`, Err: "size"},

		// WritableStream
		{Name: "writes run in order, one at a time", Src: tick + `const log = []; let active = 0;
			const ws = new WritableStream({ async write(ch) { active++; log.push(ch + ":" + active); await tick(); active--; } });
			const w = ws.getWriter(); w.write("a"); w.write("b"); await w.close(); return log`, Want: `["a:1","b:1"]`},
		{Name: "close waits for writes, then calls close", Src: `const log = []; const ws = new WritableStream({ write(ch) { log.push("write " + ch); }, close() { log.push("close"); } });
			const w = ws.getWriter(); w.write(1); await w.close(); await w.closed; return log`, Want: `["write 1","close"]`},
		{Name: "a failing write errors the stream and later writes", Src: `const ws = new WritableStream({ write() { throw new Error("disk full"); } });
			const w = ws.getWriter(); const a = await w.write(1).catch((e) => e.message); const b = await w.write(2).catch((e) => e.message);
			return [a, b, await w.closed.catch((e) => e.message)]`, Want: `["disk full","disk full","disk full"]`},
		{Name: "abort calls the sink's abort and rejects queued writes", Src: tick + `let why; let release;
			const ws = new WritableStream({ write() { return new Promise((r) => (release = r)); }, abort(r) { why = r; } });
			const w = ws.getWriter(); const first = w.write(1); const second = w.write(2).catch((e) => "rejected: " + e);
			await tick(); const ab = w.abort("cancelled by user"); release(); await ab;
			return [await first, await second, why]`, Want: `[null,"rejected: cancelled by user","cancelled by user"]`},
		{Name: "write after close is refused", Src: `const w = new WritableStream().getWriter(); w.close(); await w.write(1)`, Err: "closing or closed"},
		{Name: "getWriter on a locked stream", Src: `const ws = new WritableStream(); ws.getWriter(); ws.getWriter()`, Err: "already been locked for exclusive writing"},
		{Name: "releaseLock makes closed and ready reject", Src: `const w = new WritableStream().getWriter(); w.releaseLock();
			return [await w.closed.catch((e) => e.constructor.name), await w.ready.catch((e) => e.constructor.name)]`, Want: `["TypeError","TypeError"]`},
		{Name: "the controller's error errors the stream", Src: `let ctl; const ws = new WritableStream({ start(c) { ctl = c; } });
			const w = ws.getWriter(); ctl.error(new Error("sink gone")); return await w.closed.catch((e) => e.message)`, Want: `"sink gone"`},
		{Name: "a sink type is refused", Src: `new WritableStream({ type: "bytes" })`, Err: "type"},

		// pipes
		{Name: "pipeTo closes the destination when the source closes", Src: `const log = [];
			const rs = new ReadableStream({ start(c) { c.enqueue("x"); c.close(); } });
			await rs.pipeTo(new WritableStream({ write(ch) { log.push(ch); }, close() { log.push("closed"); } })); return log`, Want: `["x","closed"]`},
		{Name: "pipeTo with preventClose leaves the destination open", Src: `let closed = false;
			const rs = new ReadableStream({ start(c) { c.close(); } }); const ws = new WritableStream({ close() { closed = true; } });
			await rs.pipeTo(ws, { preventClose: true }); return [closed, ws.locked]`, Want: `[false,false]`},
		{Name: "pipeTo: a source error aborts the destination", Src: `let why;
			const rs = new ReadableStream({ start(c) { c.error(new Error("read failed")); } });
			const err = await rs.pipeTo(new WritableStream({ abort(r) { why = r.message; } })).catch((e) => e.message); return [err, why]`,
			Want: `["read failed","read failed"]`},
		{Name: "pipeTo: a destination error cancels the source", Src: `let why;
			const rs = new ReadableStream({ pull(c) { c.enqueue(1); }, cancel(r) { why = r.message; } });
			const err = await rs.pipeTo(new WritableStream({ write() { throw new Error("write failed"); } })).catch((e) => e.message); return [err, why]`,
			Want: `["write failed","write failed"]`},
		{Name: "pipeTo: a locked destination", Src: `const ws = new WritableStream(); ws.getWriter(); await new ReadableStream().pipeTo(ws)`, Err: "cannot be used on a locked WritableStream"},
		{Name: "pipeTo: not a WritableStream", Src: `await new ReadableStream().pipeTo({})`, Err: "must be a WritableStream"},
		{Name: "pipeTo respects the destination's backpressure", Src: tick + `let pulls = 0; const gates = [];
			const rs = new ReadableStream({ pull(c) { pulls++; c.enqueue(pulls); if (pulls === 10) c.close(); } }, { highWaterMark: 0 });
			const ws = new WritableStream({ write() { return new Promise((r) => gates.push(r)); } }, { highWaterMark: 1 });
			const p = rs.pipeTo(ws); for (let i = 0; i < 5; i++) await tick(); const early = pulls;
			while (gates.length || pulls < 10) { gates.shift()?.(); await tick(); } await p; return [early <= 3, pulls]`, Want: `[true,10]`},

		// TransformStream
		{Name: "transform, flush and the readable's close", Src: asyncIter + `const ts = new TransformStream({ transform(ch, c) { c.enqueue(ch * 2); }, flush(c) { c.enqueue("end"); } });
			const w = ts.writable.getWriter(); w.write(1); w.write(2); w.close(); return await collect(ts.readable)`, Want: `[2,4,"end"]`},
		{Name: "identity transform without a transformer", Src: asyncIter + `const ts = new TransformStream(); const w = ts.writable.getWriter();
			w.write("a"); w.close(); return await collect(ts.readable)`, Want: `["a"]`},
		{Name: "a throwing transform errors both sides", Src: `const ts = new TransformStream({ transform() { throw new Error("bad input"); } });
			const w = ts.writable.getWriter(); const read = ts.readable.getReader().read().catch((e) => e.message);
			const a = await w.write(1).catch((e) => e.message); return [a, await read]`, Want: `["bad input","bad input"]`},
		{Name: "terminate closes the readable and errors the writable", Src: `const ts = new TransformStream({ transform(ch, c) { c.enqueue(ch); c.terminate(); } });
			const w = ts.writable.getWriter(); const r = ts.readable.getReader(); w.write(1).catch(() => {});
			return [(await r.read()).value, (await r.read()).done, await w.closed.catch((e) => e.constructor.name)]`, Want: `[1,true,"TypeError"]`},
		{Name: "canceling the readable calls the transformer's cancel and errors the writable", Src: `let why;
			const ts = new TransformStream({ cancel(r) { why = r; } }); await ts.readable.cancel("reader left");
			return [why, await ts.writable.getWriter().closed.catch((e) => e)]`, Want: `["reader left","reader left"]`},
		{Name: "writes wait for the reader (backpressure)", Src: tick + `const ts = new TransformStream({}, undefined, { highWaterMark: 0 }); const w = ts.writable.getWriter();
			let written = false; w.write(1).then(() => (written = true)); await tick(); await tick(); const before = written;
			await ts.readable.getReader().read(); await tick(); return [before, written]`, Want: `[false,true]`},
		{Name: "readableType is refused", Src: `new TransformStream({ readableType: "bytes" })`, Err: "readableType"},

		// strategies
		{Name: "strategies need a highWaterMark", Src: `new CountQueuingStrategy({})`, Err: "highWaterMark"},
		{Name: "strategies share one size function", Src: `const a = new CountQueuingStrategy({ highWaterMark: 1 }), b = new CountQueuingStrategy({ highWaterMark: 2 });
			return [a.size === b.size, a.size.name, b.highWaterMark, Object.prototype.toString.call(a)]`, Want: `[true,"size",2,"[object CountQueuingStrategy]"]`},
	}, installs...)
}

// BenchmarkStreamChunks is one chunk through a pulled ReadableStream, piped
// through a TransformStream and read by a reader: the per-chunk cost a
// streamed fetch body or an SSE parser pays.
func BenchmarkStreamChunks(b *testing.B) {
	jstest.Bench(b, newRuntime(b), `globalThis.bench = async (n) => {
		const chunk = new Uint8Array(16384); let i = 0;
		const rs = new ReadableStream({ pull(c) { i++ < n ? c.enqueue(chunk) : c.close(); } }, { highWaterMark: 0 });
		const r = rs.pipeThrough(new TransformStream()).getReader();
		while (!(await r.read()).done);
	}`)
}
