package streams_test

import (
	"testing"

	"host/bindings/web/webtest"
)

// TestStreamsStandard checks host's Streams (the reference implementation)
// against behaviour the Streams standard defines and browsers show: the
// order of source calls, error and close propagation through pipes, tee,
// byte streams with BYOB readers, transform hooks and strategies.
func TestStreamsStandard(t *testing.T) {
	const tick = `const tick = () => new Promise((r) => setTimeout(r, 0));`
	runCases(t, []jsCase{
		// ReadableStream: the source's start, pull and cancel.
		{name: "start runs at once, pull waits for start", src: `const log = []; let done;
			new ReadableStream({ start() { log.push("start"); return new Promise((r) => (done = r)); }, pull() { log.push("pull"); } });
			log.push("after constructor"); await new Promise((r) => setTimeout(r, 5)); log.push("start settles"); done();
			await new Promise((r) => setTimeout(r, 5)); return log`,
			want: `["start","after constructor","start settles","pull"]`},
		{name: "start throwing throws from the constructor", src: `new ReadableStream({ start() { throw new RangeError("no start"); } })`, err: "no start"},
		{name: "start rejecting errors the stream", src: `const rs = new ReadableStream({ start() { return Promise.reject(new Error("late")); } });
			await rs.getReader().read()`, err: "late"},
		{name: "source methods see the source as this", src: `const src = { name: "src", start() { this.seen = this.name; } };
			new ReadableStream(src); return src.seen`, want: `"src"`},
		{name: "pull is not called twice at once", src: tick + `let active = 0, most = 0, n = 0;
			const rs = new ReadableStream({ async pull(c) { active++; most = Math.max(most, active); await tick(); c.enqueue(n++); active--; if (n === 5) c.close(); } }, { highWaterMark: 3 });
			const out = []; for (const r = rs.getReader(); ; ) { const x = await r.read(); if (x.done) break; out.push(x.value); } return [out, most]`,
			want: `[[0,1,2,3,4],1]`},
		{name: "close after enqueue delivers the queue first", src: `const rs = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); c.close(); } });
			const r = rs.getReader(); return [await r.read(), await r.read(), await r.read()]`,
			want: `[{"value":1,"done":false},{"value":2,"done":false},{"done":true}]`},
		{name: "enqueue after close is a TypeError", src: `new ReadableStream({ start(c) { c.close(); c.enqueue(1); } })`, err: "not in a state that permits enqueue"},
		{name: "close twice is a TypeError", src: `new ReadableStream({ start(c) { c.close(); c.close(); } })`, err: "not in a state that permits close"},
		{name: "desiredSize follows the queue, 0 once closed", src: `let ctl; const rs = new ReadableStream({ start(c) { ctl = c; } }, { highWaterMark: 3, size: (ch) => ch.length });
			const a = ctl.desiredSize; ctl.enqueue("ab"); const b = ctl.desiredSize; ctl.close(); const c = ctl.desiredSize;
			await rs.getReader().read(); return [a, b, c, ctl.desiredSize]`,
			want: `[3,1,1,0]`},
		{name: "a bad size errors the stream", src: `const rs = new ReadableStream({ start(c) { try { c.enqueue("x"); } catch (e) {} } }, { size: () => -1 });
			await rs.getReader().read()`, err: "Size must be a finite"},
		{name: "negative highWaterMark is a RangeError", src: `new ReadableStream({}, { highWaterMark: -1 })`, err: "highWaterMark"},
		{name: "a bad type is a TypeError", src: `new ReadableStream({ type: "text" })`, err: "not a valid enumeration value for ReadableStreamType"},
		{name: "cancel rejects pending reads as done, then calls the source", src: `let why; const rs = new ReadableStream({ cancel(r) { why = r; } });
			const r = rs.getReader(); const p = r.read(); await r.cancel("stop"); return [await p, why]`,
			want: `[{"done":true},"stop"]`},
		{name: "cancel of a locked stream rejects", src: `const rs = new ReadableStream(); rs.getReader(); await rs.cancel()`, err: "already has a reader"},
		{name: "releaseLock rejects pending reads and closed", src: `const rs = new ReadableStream(); const r = rs.getReader();
			const p = r.read().catch((e) => e.constructor.name); const c = r.closed.catch((e) => "closed: " + e.constructor.name);
			r.releaseLock(); return [await p, await c, rs.locked]`,
			want: `["TypeError","closed: TypeError",false]`},
		{name: "brand checks", src: `ReadableStream.prototype.getReader.call({})`, err: "can only be used on a ReadableStream"},
		{name: "controller cannot be constructed", src: `new ReadableStreamDefaultController()`, err: "Illegal constructor"},
		{name: "from a sync iterable of promises", src: asyncIter + `return await collect(ReadableStream.from([Promise.resolve(1), 2]))`, want: `[1,2]`},
		{name: "from an async generator-like iterable, cancel calls return", src: `let returned = false, i = 0;
			const src = { [Symbol.asyncIterator ?? Symbol.for("Symbol.asyncIterator")]() { return { next: async () => ({ value: i++, done: false }), return: async () => { returned = true; return {}; } }; } };
			const r = ReadableStream.from(src).getReader(); await r.read(); await r.cancel(); return returned`, want: `true`},
		{name: "from a non-iterable", src: `ReadableStream.from(5)`, err: "iterable"},
		{name: "async iteration with preventCancel keeps the stream", src: `let canceled = false; const AI = Symbol.asyncIterator ?? Symbol.for("Symbol.asyncIterator");
			const rs = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); }, cancel() { canceled = true; } });
			const it = rs.values({ preventCancel: true }); await it.next(); await it.return();
			const r = rs.getReader(); return [canceled, (await r.read()).value]`, want: `[false,2]`},
		{name: "async iteration rethrows the stream's error", src: asyncIter + `const rs = new ReadableStream({ start(c) { c.enqueue(1); c.error(new Error("broken")); } });
			await collect(rs)`, err: "broken"},

		// tee
		{name: "tee: both branches canceled cancel the source with both reasons", src: `let why;
			const rs = new ReadableStream({ cancel(r) { why = r; } }); const [a, b] = rs.tee();
			await Promise.all([a.cancel("a"), b.cancel("b")]); return why`, want: `["a","b"]`},
		{name: "tee: one branch canceled, the other still reads", src: asyncIter + `const rs = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); c.close(); } });
			const [a, b] = rs.tee(); a.cancel(); return await collect(b)`, want: `[1,2]`},
		{name: "tee: an error reaches both branches", src: `const rs = new ReadableStream({ start(c) { c.error(new Error("src failed")); } });
			const [a, b] = rs.tee(); const out = await Promise.allSettled([a.getReader().read(), b.getReader().read()]);
			return out.map((o) => o.reason.message)`, want: `["src failed","src failed"]`},
		{name: "tee of a byte stream copies chunks", src: asyncIter + `const rs = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1, 2])); c.close(); } });
			const [a, b] = rs.tee(); const x = await collect(a); x[0][0] = 9; const y = await collect(b);
			return [Array.from(x[0]), Array.from(y[0])]`, want: `[[9,2],[1,2]]`},

		// byte streams
		{name: "bytes: default reader", src: `const rs = new ReadableStream({ type: "bytes", pull(c) { c.enqueue(new Uint8Array([7, 8])); c.close(); } });
			const r = rs.getReader(); const x = await r.read(); return [x.value instanceof Uint8Array, Array.from(x.value), (await r.read()).done]`,
			want: `[true,[7,8],true]`},
		{name: "bytes: autoAllocateChunkSize gives a default reader a byobRequest", src: `const rs = new ReadableStream({ type: "bytes", autoAllocateChunkSize: 4,
			pull(c) { const v = c.byobRequest.view; v[0] = 42; c.byobRequest.respond(1); } });
			const x = await rs.getReader().read(); return [x.value.byteLength, x.value[0]]`, want: `[1,42]`},
		{name: "bytes: BYOB respond fills the caller's view", src: `const rs = new ReadableStream({ type: "bytes",
			pull(c) { const v = c.byobRequest.view; v.set([1, 2, 3]); c.byobRequest.respond(3); } });
			const r = rs.getReader({ mode: "byob" }); const x = await r.read(new Uint8Array(10));
			return [x.done, x.value.length, Array.from(x.value)]`, want: `[false,3,[1,2,3]]`},
		{name: "bytes: BYOB read with min waits for enough bytes", src: `let n = 0; const rs = new ReadableStream({ type: "bytes",
			pull(c) { n++; c.enqueue(new Uint8Array([n])); } });
			const r = rs.getReader({ mode: "byob" }); const x = await r.read(new Uint8Array(4), { min: 3 });
			return Array.from(x.value)`, want: `[1,2,3]`},
		{name: "bytes: BYOB into a Uint16Array keeps whole elements", src: `const rs = new ReadableStream({ type: "bytes",
			start(c) { c.enqueue(new Uint8Array([1, 0, 2])); } });
			const r = rs.getReader({ mode: "byob" }); const x = await r.read(new Uint16Array(4));
			return [x.value.constructor.name, x.value.length, x.value[0]]`, want: `["Uint16Array",1,1]`},
		{name: "bytes: a closed stream answers BYOB reads with an empty done view", src: `const rs = new ReadableStream({ type: "bytes", start(c) { c.close(); } });
			const x = await rs.getReader({ mode: "byob" }).read(new Uint8Array(2)); return [x.done, x.value.byteLength]`, want: `[true,0]`},
		{name: "bytes: respond(0) after close ends a pending BYOB read", src: `let ctl; const rs = new ReadableStream({ type: "bytes", start(c) { ctl = c; } });
			const r = rs.getReader({ mode: "byob" }); const p = r.read(new Uint8Array(2)); await new Promise((r) => setTimeout(r, 0));
			ctl.close(); ctl.byobRequest.respond(0); const x = await p; return [x.done, x.value.byteLength]`, want: `[true,0]`},
		{name: "bytes: BYOB reader on a default stream is refused", src: `new ReadableStream().getReader({ mode: "byob" })`, err: "not constructed with a byte source"},
		{name: "bytes: an empty chunk is refused", src: `new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array(0)); } })`, err: "non-zero byteLength"},
		{name: "bytes: a size function is refused", src: `new ReadableStream({ type: "bytes" }, { size: () => 1 })`, err: "size"},

		// WritableStream
		{name: "writes run in order, one at a time", src: tick + `const log = []; let active = 0;
			const ws = new WritableStream({ async write(ch) { active++; log.push(ch + ":" + active); await tick(); active--; } });
			const w = ws.getWriter(); w.write("a"); w.write("b"); await w.close(); return log`, want: `["a:1","b:1"]`},
		{name: "close waits for writes, then calls close", src: `const log = []; const ws = new WritableStream({ write(ch) { log.push("write " + ch); }, close() { log.push("close"); } });
			const w = ws.getWriter(); w.write(1); await w.close(); await w.closed; return log`, want: `["write 1","close"]`},
		{name: "a failing write errors the stream and later writes", src: `const ws = new WritableStream({ write() { throw new Error("disk full"); } });
			const w = ws.getWriter(); const a = await w.write(1).catch((e) => e.message); const b = await w.write(2).catch((e) => e.message);
			return [a, b, await w.closed.catch((e) => e.message)]`, want: `["disk full","disk full","disk full"]`},
		{name: "abort calls the sink's abort and rejects queued writes", src: tick + `let why; let release;
			const ws = new WritableStream({ write() { return new Promise((r) => (release = r)); }, abort(r) { why = r; } });
			const w = ws.getWriter(); const first = w.write(1); const second = w.write(2).catch((e) => "rejected: " + e);
			await tick(); const ab = w.abort("cancelled by user"); release(); await ab;
			return [await first, await second, why]`, want: `[null,"rejected: cancelled by user","cancelled by user"]`},
		{name: "write after close is refused", src: `const w = new WritableStream().getWriter(); w.close(); await w.write(1)`, err: "closing or closed"},
		{name: "getWriter on a locked stream", src: `const ws = new WritableStream(); ws.getWriter(); ws.getWriter()`, err: "already been locked for exclusive writing"},
		{name: "releaseLock makes closed and ready reject", src: `const w = new WritableStream().getWriter(); w.releaseLock();
			return [await w.closed.catch((e) => e.constructor.name), await w.ready.catch((e) => e.constructor.name)]`, want: `["TypeError","TypeError"]`},
		{name: "the controller's error errors the stream", src: `let ctl; const ws = new WritableStream({ start(c) { ctl = c; } });
			const w = ws.getWriter(); ctl.error(new Error("sink gone")); return await w.closed.catch((e) => e.message)`, want: `"sink gone"`},
		{name: "a sink type is refused", src: `new WritableStream({ type: "bytes" })`, err: "type"},

		// pipes
		{name: "pipeTo closes the destination when the source closes", src: `const log = [];
			const rs = new ReadableStream({ start(c) { c.enqueue("x"); c.close(); } });
			await rs.pipeTo(new WritableStream({ write(ch) { log.push(ch); }, close() { log.push("closed"); } })); return log`, want: `["x","closed"]`},
		{name: "pipeTo with preventClose leaves the destination open", src: `let closed = false;
			const rs = new ReadableStream({ start(c) { c.close(); } }); const ws = new WritableStream({ close() { closed = true; } });
			await rs.pipeTo(ws, { preventClose: true }); return [closed, ws.locked]`, want: `[false,false]`},
		{name: "pipeTo: a source error aborts the destination", src: `let why;
			const rs = new ReadableStream({ start(c) { c.error(new Error("read failed")); } });
			const err = await rs.pipeTo(new WritableStream({ abort(r) { why = r.message; } })).catch((e) => e.message); return [err, why]`,
			want: `["read failed","read failed"]`},
		{name: "pipeTo: a destination error cancels the source", src: `let why;
			const rs = new ReadableStream({ pull(c) { c.enqueue(1); }, cancel(r) { why = r.message; } });
			const err = await rs.pipeTo(new WritableStream({ write() { throw new Error("write failed"); } })).catch((e) => e.message); return [err, why]`,
			want: `["write failed","write failed"]`},
		{name: "pipeTo: a locked destination", src: `const ws = new WritableStream(); ws.getWriter(); await new ReadableStream().pipeTo(ws)`, err: "cannot be used on a locked WritableStream"},
		{name: "pipeTo: not a WritableStream", src: `await new ReadableStream().pipeTo({})`, err: "must be a WritableStream"},
		{name: "pipeTo respects the destination's backpressure", src: tick + `let pulls = 0; const gates = [];
			const rs = new ReadableStream({ pull(c) { pulls++; c.enqueue(pulls); if (pulls === 10) c.close(); } }, { highWaterMark: 0 });
			const ws = new WritableStream({ write() { return new Promise((r) => gates.push(r)); } }, { highWaterMark: 1 });
			const p = rs.pipeTo(ws); for (let i = 0; i < 5; i++) await tick(); const early = pulls;
			while (gates.length || pulls < 10) { gates.shift()?.(); await tick(); } await p; return [early <= 3, pulls]`, want: `[true,10]`},

		// TransformStream
		{name: "transform, flush and the readable's close", src: asyncIter + `const ts = new TransformStream({ transform(ch, c) { c.enqueue(ch * 2); }, flush(c) { c.enqueue("end"); } });
			const w = ts.writable.getWriter(); w.write(1); w.write(2); w.close(); return await collect(ts.readable)`, want: `[2,4,"end"]`},
		{name: "identity transform without a transformer", src: asyncIter + `const ts = new TransformStream(); const w = ts.writable.getWriter();
			w.write("a"); w.close(); return await collect(ts.readable)`, want: `["a"]`},
		{name: "a throwing transform errors both sides", src: `const ts = new TransformStream({ transform() { throw new Error("bad input"); } });
			const w = ts.writable.getWriter(); const read = ts.readable.getReader().read().catch((e) => e.message);
			const a = await w.write(1).catch((e) => e.message); return [a, await read]`, want: `["bad input","bad input"]`},
		{name: "terminate closes the readable and errors the writable", src: `const ts = new TransformStream({ transform(ch, c) { c.enqueue(ch); c.terminate(); } });
			const w = ts.writable.getWriter(); const r = ts.readable.getReader(); w.write(1).catch(() => {});
			return [(await r.read()).value, (await r.read()).done, await w.closed.catch((e) => e.constructor.name)]`, want: `[1,true,"TypeError"]`},
		{name: "canceling the readable calls the transformer's cancel and errors the writable", src: `let why;
			const ts = new TransformStream({ cancel(r) { why = r; } }); await ts.readable.cancel("reader left");
			return [why, await ts.writable.getWriter().closed.catch((e) => e)]`, want: `["reader left","reader left"]`},
		{name: "writes wait for the reader (backpressure)", src: tick + `const ts = new TransformStream({}, undefined, { highWaterMark: 0 }); const w = ts.writable.getWriter();
			let written = false; w.write(1).then(() => (written = true)); await tick(); await tick(); const before = written;
			await ts.readable.getReader().read(); await tick(); return [before, written]`, want: `[false,true]`},
		{name: "readableType is refused", src: `new TransformStream({ readableType: "bytes" })`, err: "readableType"},

		// strategies
		{name: "strategies need a highWaterMark", src: `new CountQueuingStrategy({})`, err: "highWaterMark"},
		{name: "strategies share one size function", src: `const a = new CountQueuingStrategy({ highWaterMark: 1 }), b = new CountQueuingStrategy({ highWaterMark: 2 });
			return [a.size === b.size, a.size.name, b.highWaterMark, Object.prototype.toString.call(a)]`, want: `[true,"size",2,"[object CountQueuingStrategy]"]`},
	})
}

// BenchmarkStreamChunks is one chunk through a pulled ReadableStream, piped
// through a TransformStream and read by a reader: the per-chunk cost a
// streamed fetch body or an SSE parser pays.
func BenchmarkStreamChunks(b *testing.B) {
	webtest.Bench(b, newRuntime(b), `globalThis.bench = async (n) => {
		const chunk = new Uint8Array(16384); let i = 0;
		const rs = new ReadableStream({ pull(c) { i++ < n ? c.enqueue(chunk) : c.close(); } }, { highWaterMark: 0 });
		const r = rs.pipeThrough(new TransformStream()).getReader();
		while (!(await r.read()).done);
	}`)
}
