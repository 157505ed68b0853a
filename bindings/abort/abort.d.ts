// Event, CustomEvent, EventTarget, AbortController and AbortSignal
// (bindings/abort), as TypeScript's DOM lib declares them, in the subset a
// target outside a document has. Left out when the plugin's tsconfig has the
// DOM lib, which declares them already.

interface EventInit {
  bubbles?: boolean;
  cancelable?: boolean;
  composed?: boolean;
}

/** An event dispatched to an EventTarget. */
interface Event {
  readonly type: string;
  readonly target: EventTarget | null;
  readonly currentTarget: EventTarget | null;
  readonly eventPhase: number;
  readonly bubbles: boolean;
  readonly cancelable: boolean;
  readonly composed: boolean;
  readonly defaultPrevented: boolean;
  readonly isTrusted: boolean;
  readonly timeStamp: number;
  returnValue: boolean;
  cancelBubble: boolean;
  composedPath(): EventTarget[];
  preventDefault(): void;
  stopPropagation(): void;
  stopImmediatePropagation(): void;
  readonly NONE: 0;
  readonly CAPTURING_PHASE: 1;
  readonly AT_TARGET: 2;
  readonly BUBBLING_PHASE: 3;
}
declare var Event: {
  readonly prototype: Event;
  new (type: string, eventInitDict?: EventInit): Event;
  readonly NONE: 0;
  readonly CAPTURING_PHASE: 1;
  readonly AT_TARGET: 2;
  readonly BUBBLING_PHASE: 3;
};

interface CustomEventInit<T = any> extends EventInit {
  detail?: T;
}
interface CustomEvent<T = any> extends Event {
  readonly detail: T;
}
declare var CustomEvent: {
  readonly prototype: CustomEvent;
  new <T>(type: string, eventInitDict?: CustomEventInit<T>): CustomEvent<T>;
};

interface EventListener {
  (evt: Event): void;
}
interface EventListenerObject {
  handleEvent(object: Event): void;
}
type EventListenerOrEventListenerObject = EventListener | EventListenerObject;
interface EventListenerOptions {
  capture?: boolean;
}
interface AddEventListenerOptions extends EventListenerOptions {
  once?: boolean;
  passive?: boolean;
  /** Removes the listener when this signal aborts. */
  signal?: AbortSignal;
}

/** Something events are dispatched to; extend it for an event bus of your own. */
interface EventTarget {
  addEventListener(type: string, callback: EventListenerOrEventListenerObject | null, options?: AddEventListenerOptions | boolean): void;
  /** Calls the listeners in order; returns false when a listener called preventDefault() on a cancelable event. A listener that throws is reported and the rest still run. */
  dispatchEvent(event: Event): boolean;
  removeEventListener(type: string, callback: EventListenerOrEventListenerObject | null, options?: EventListenerOptions | boolean): void;
}
declare var EventTarget: {
  readonly prototype: EventTarget;
  new (): EventTarget;
};

interface AbortSignalEventMap {
  abort: Event;
}

/** Tells a fetch, a timer or a loop run to stop; `ctx.signal` aborts when the plugin is deactivated. */
interface AbortSignal extends EventTarget {
  readonly aborted: boolean;
  /** Why it aborted: the abort(reason) argument, else a DOMException named "AbortError" ("TimeoutError" for AbortSignal.timeout). */
  readonly reason: any;
  onabort: ((this: AbortSignal, ev: Event) => any) | null;
  /** Throws `reason` when aborted. */
  throwIfAborted(): void;
  addEventListener<K extends keyof AbortSignalEventMap>(type: K, listener: (this: AbortSignal, ev: AbortSignalEventMap[K]) => any, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof AbortSignalEventMap>(type: K, listener: (this: AbortSignal, ev: AbortSignalEventMap[K]) => any, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}
declare var AbortSignal: {
  readonly prototype: AbortSignal;
  /** A signal that is already aborted. */
  abort(reason?: any): AbortSignal;
  /** A signal that aborts with a "TimeoutError" after `milliseconds`. */
  timeout(milliseconds: number): AbortSignal;
  /** A signal that aborts when any of `signals` does. */
  any(signals: Iterable<AbortSignal>): AbortSignal;
};

interface AbortController {
  readonly signal: AbortSignal;
  abort(reason?: any): void;
}
declare var AbortController: {
  readonly prototype: AbortController;
  new (): AbortController;
};
