// Package streams gives plugins the WHATWG Streams globals:
// ReadableStream, WritableStream, TransformStream, their readers, writers
// and controllers, the queuing strategies (streamsimpl.js, host's
// implementation of the Streams standard), and the Encoding standard's
// TextEncoderStream and TextDecoderStream on them (streams.js, which uses
// bindings/encoding's TextEncoder and TextDecoder). All JS: no Go natives.
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
	//go:embed streamsimpl.js
	streamsImplJS string
)

// source is streams.js called with the stream classes that streamsimpl.js
// puts on exports. streams.js comes first so its positions are its own.
var source = "(function (g, native) { var exports = {}; var wire = " +
	streamsJS + ";\n" + streamsImplJS + "\nwire(g, native, exports); })"

var program = jsrt.NewProgram("host:web/streams.js", source)

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
