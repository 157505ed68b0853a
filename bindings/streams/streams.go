// Package streams gives plugins the WHATWG Streams globals:
// ReadableStream, WritableStream, TransformStream, their readers, writers
// and controllers and the queuing strategies, from the standard's
// reference implementation as web-streams-polyfill packages it
// (third_party/web-streams-polyfill, vendored unchanged), and the Encoding
// standard's TextEncoderStream and TextDecoderStream on them (streams.js,
// which uses bindings/encoding's TextEncoder and TextDecoder). All JS: no
// Go natives.
//
// Why the reference implementation and not a hand-written one: host had
// one (streamsimpl.js, 2,158 lines) for a while. Measured side by side
// (test binaries differing only in the implementation, alternating runs
// on one 2-core machine): a chunk through a pulled ReadableStream, a
// TransformStream and a reader (BenchmarkStreamChunks, 3000 chunks) cost
// the hand-written one 1.08x the CPU and 34.9 against 23.9 MiB peak; its
// one gain was first use (compiling less JS: 0.83x the CPU of a process
// that touches the streams once, about 7 ms), paid only by plugins that
// use streams. The reference implementation passes the same behaviour
// tests (TestStreamsStandard, TestStreams, fetch's streaming bodies, the
// npm corpus); only the wording of its TypeErrors differs.
package streams

import (
	_ "embed"

	"host/bindings/jsapi"
	"host/bindings/web"
	"host/jsrt"
)

// DTS declares this package's globals for `host types` (left out when the
// plugin's tsconfig has lib "dom", which declares them).
//
//go:embed streams.d.ts
var DTS string

var (
	//go:embed streams.js
	streamsJS string
	//go:embed third_party/web-streams-polyfill/ponyfill.js
	ponyfillJS string
)

// program is streams.js called with the stream classes the ponyfill puts
// on exports. streams.js comes first so its positions are its own.
var program = jsrt.NewProgramOf("host:web/streams.js", func() string {
	return "(function (g, native) { var exports = {}, module = { exports: exports }; var wire = " +
		streamsJS + ";\n" + ponyfillJS + "\nwire(g, native, exports); })"
})

// Install defines the stream classes, made the first time a plugin touches
// one. Call once per runtime on its loop goroutine, after web.Install,
// before plugin code runs.
func Install(env jsapi.Env) error {
	return web.Define(env.VM(), program, web.LazyProps(
		"ReadableStream", "ReadableStreamDefaultReader", "ReadableStreamBYOBReader", "ReadableStreamBYOBRequest",
		"ReadableStreamDefaultController", "ReadableByteStreamController",
		"WritableStream", "WritableStreamDefaultWriter", "WritableStreamDefaultController",
		"TransformStream", "TransformStreamDefaultController",
		"ByteLengthQueuingStrategy", "CountQueuingStrategy", "TextEncoderStream", "TextDecoderStream"), nil)
}
