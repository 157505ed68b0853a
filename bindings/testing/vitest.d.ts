// The vitest API that `host test` gives a test file (`import { describe,
// it, expect, vi } from "vitest"`). With vitest installed in node_modules
// its own declarations are used instead (TypeScript prefers a module file
// to this ambient declaration). Kept in step with bindings/testing/vitest.js.

declare module "vitest" {
  type Awaitable<T> = T | PromiseLike<T>;
  interface TestContext {
    expect: ExpectStatic;
    /** Marks the running test skipped. */
    skip(note?: string): never;
    task: { name: string };
  }
  interface TestOptions {
    timeout?: number;
    skip?: boolean;
    only?: boolean;
    fails?: boolean;
  }
  type TestFunction = (context: TestContext) => Awaitable<unknown>;
  interface TestAPI {
    (name: string | Function, fn?: TestFunction, timeout?: number | TestOptions): void;
    (name: string | Function, options: TestOptions, fn?: TestFunction): void;
    skip: TestAPI;
    only: TestAPI;
    concurrent: TestAPI;
    sequential: TestAPI;
    fails: TestAPI;
    todo(name: string | Function): void;
    skipIf(condition: unknown): TestAPI;
    runIf(condition: unknown): TestAPI;
    each<T extends readonly unknown[] | unknown>(
      cases: ReadonlyArray<T>,
    ): (name: string, fn: (...args: T extends readonly unknown[] ? T : [T]) => Awaitable<unknown>, timeout?: number | TestOptions) => void;
    for<T>(cases: ReadonlyArray<T>): (name: string, fn: (arg: T, context: TestContext) => Awaitable<unknown>) => void;
  }
  interface SuiteAPI {
    (name: string | Function, fn?: () => void, options?: number | TestOptions): void;
    skip: SuiteAPI;
    only: SuiteAPI;
    concurrent: SuiteAPI;
    sequential: SuiteAPI;
    shuffle: SuiteAPI;
    todo(name: string | Function): void;
    skipIf(condition: unknown): SuiteAPI;
    runIf(condition: unknown): SuiteAPI;
    each<T extends readonly unknown[] | unknown>(
      cases: ReadonlyArray<T>,
    ): (name: string, fn: (...args: T extends readonly unknown[] ? T : [T]) => void) => void;
  }
  type HookCleanup = () => Awaitable<unknown>;
  type Hook = (fn: () => Awaitable<unknown | HookCleanup>, timeout?: number) => void;

  export const describe: SuiteAPI;
  export const suite: SuiteAPI;
  export const it: TestAPI;
  export const test: TestAPI;
  export const beforeAll: Hook;
  export const afterAll: Hook;
  export const beforeEach: Hook;
  export const afterEach: Hook;
  export function onTestFailed(fn: () => void): void;
  export function onTestFinished(fn: () => void): void;

  interface Matchers<R, T = unknown> {
    toBe(expected: T | unknown): R;
    toEqual(expected: unknown): R;
    toStrictEqual(expected: unknown): R;
    toMatchObject(expected: object | object[]): R;
    toContain(item: unknown): R;
    toContainEqual(item: unknown): R;
    toHaveLength(length: number): R;
    toHaveProperty(path: string | ReadonlyArray<string | number>, value?: unknown): R;
    toBeDefined(): R;
    toBeUndefined(): R;
    toBeNull(): R;
    toBeNaN(): R;
    toBeTruthy(): R;
    toBeFalsy(): R;
    toBeTypeOf(type: "bigint" | "boolean" | "function" | "number" | "object" | "string" | "symbol" | "undefined"): R;
    toBeInstanceOf(cls: Function): R;
    toBeGreaterThan(n: number | bigint): R;
    toBeGreaterThanOrEqual(n: number | bigint): R;
    toBeLessThan(n: number | bigint): R;
    toBeLessThanOrEqual(n: number | bigint): R;
    toBeCloseTo(n: number, digits?: number): R;
    toBeOneOf(values: ReadonlyArray<unknown>): R;
    toMatch(expected: string | RegExp): R;
    toThrow(expected?: string | RegExp | Function | Error | object): R;
    toThrowError(expected?: string | RegExp | Function | Error | object): R;
    toHaveBeenCalled(): R;
    toHaveBeenCalledTimes(n: number): R;
    toHaveBeenCalledWith(...args: unknown[]): R;
    toHaveBeenLastCalledWith(...args: unknown[]): R;
    toHaveBeenNthCalledWith(n: number, ...args: unknown[]): R;
    toHaveBeenCalledOnce(): R;
    toHaveReturned(): R;
    toHaveReturnedTimes(n: number): R;
    toHaveReturnedWith(value: unknown): R;
    toHaveLastReturnedWith(value: unknown): R;
    toHaveNthReturnedWith(n: number, value: unknown): R;
    toSatisfy(predicate: (value: T) => boolean, message?: string): R;
  }
  interface Assertion<T = any> extends Matchers<void, T> {
    not: Assertion<T>;
    resolves: PromisifyAssertion<Awaited<T>>;
    rejects: PromisifyAssertion<unknown>;
  }
  type PromisifyAssertion<T> = { [K in keyof Matchers<Promise<void>, T>]: Matchers<Promise<void>, T>[K] } & {
    not: PromisifyAssertion<T>;
  };
  interface AsymmetricMatchers {
    anything(): any;
    any(constructor: unknown): any;
    objectContaining<T = any>(expected: T): any;
    arrayContaining<T = unknown>(expected: ReadonlyArray<T>): any;
    stringContaining(expected: string): any;
    stringMatching(expected: string | RegExp): any;
    closeTo(n: number, digits?: number): any;
  }
  interface ExpectStatic extends AsymmetricMatchers {
    <T>(actual: T, message?: string): Assertion<T>;
    not: AsymmetricMatchers;
    /** Fails unless the test makes exactly n assertions. */
    assertions(n: number): void;
    /** Fails unless the test makes at least one assertion. */
    hasAssertions(): void;
    unreachable(message?: string): never;
    extend(matchers: Record<string, (this: unknown, received: any, ...expected: any[]) => { pass: boolean; message: () => string } | Promise<{ pass: boolean; message: () => string }>>): void;
    getState(): { assertionCalls: number; currentTestName?: string };
  }
  export const expect: ExpectStatic;

  interface MockResult<T> {
    type: "return" | "throw" | "incomplete";
    value: T;
  }
  interface MockContext<A extends any[], R> {
    calls: A[];
    results: MockResult<R>[];
    instances: unknown[];
    lastCall: A | undefined;
  }
  interface Mock<A extends any[] = any[], R = any> {
    (...args: A): R;
    new (...args: A): R;
    mock: MockContext<A, R>;
    getMockName(): string;
    mockName(name: string): this;
    mockClear(): this;
    mockReset(): this;
    mockRestore(): void;
    mockImplementation(fn: (...args: A) => R): this;
    mockImplementationOnce(fn: (...args: A) => R): this;
    mockReturnValue(value: R): this;
    mockReturnValueOnce(value: R): this;
    mockResolvedValue(value: Awaited<R>): this;
    mockResolvedValueOnce(value: Awaited<R>): this;
    mockRejectedValue(value: unknown): this;
    mockRejectedValueOnce(value: unknown): this;
    mockReturnThis(): this;
  }
  type Procedure = (...args: any[]) => any;
  type Methods<T> = { [K in keyof T]: T[K] extends Procedure ? K : never }[keyof T] & (string | symbol);
  interface VitestUtils {
    fn<T extends Procedure = (...args: any[]) => any>(impl?: T): Mock<Parameters<T>, ReturnType<T>>;
    spyOn<T, K extends Methods<Required<T>>>(
      object: T,
      method: K,
    ): Required<T>[K] extends (...args: infer A) => infer R ? Mock<A, R> : never;
    spyOn<T, K extends keyof T>(object: T, property: K, accessType: "get" | "set"): Mock<any[], T[K]>;
    isMockFunction(fn: unknown): fn is Mock;
    mocked<T>(item: T): T;
    clearAllMocks(): VitestUtils;
    resetAllMocks(): VitestUtils;
    restoreAllMocks(): VitestUtils;
    stubGlobal(name: string | symbol, value: unknown): VitestUtils;
    unstubAllGlobals(): VitestUtils;
    waitFor<T>(callback: () => T | Promise<T>, options?: number | { timeout?: number; interval?: number }): Promise<T>;
    waitUntil<T>(callback: () => T | Promise<T>, options?: number | { timeout?: number; interval?: number }): Promise<T>;
  }
  export const vi: VitestUtils;
  export const vitest: VitestUtils;
  /** chai's assert, as vitest exports it. */
  export const assert: {
    (value: unknown, message?: string): asserts value;
    equal(actual: unknown, expected: unknown, message?: string): void;
    deepEqual(actual: unknown, expected: unknown, message?: string): void;
    strictEqual(actual: unknown, expected: unknown, message?: string): void;
    isTrue(value: unknown, message?: string): void;
    isFalse(value: unknown, message?: string): void;
    ok(value: unknown, message?: string): void;
    throws(fn: () => unknown, expected?: string | RegExp | Function, message?: string): void;
    fail(message?: string): never;
  };
  /** Type-level checks: they do nothing when the test runs. */
  export function expectTypeOf<T>(value?: T): any;
  export function assertType<T>(value: T): void;
}
