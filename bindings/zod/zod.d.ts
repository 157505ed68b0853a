// Types for the host's global `z`: the part of zod 4 the host implements
// (issue codes and messages as zod 3 words them), zod 3's API (z.date,
// z.bigint, z.map, z.set, z.lazy, z.intersection, z.preprocess, z.custom,
// z.instanceof, z.promise, z.function, .deepPartial(), .ip(), .emoji(),
// .duration(), z.setErrorMap, error.format(), the classes, _def), plus the
// setup metadata methods .secret(), .label(), .section(), .helpText(),
// .placeholder() and .radio(). A method zod has and host lacks throws a
// TypeError naming it. The z of "@hivemind-os/plugin-sdk" has these types
// too; it validates as zod 3 where zod 3 and 4 differ.
// A global script: `z` and `z.infer<typeof schema>` need no import. Kept in
// step with bindings/zod/zod.go.

declare namespace z {
  type Primitive = string | number | boolean | null;

  /** One problem found by parse/safeParse. */
  interface ZodIssue {
    code:
      | "invalid_type"
      | "invalid_literal"
      | "invalid_enum_value"
      | "invalid_string"
      | "too_small"
      | "too_big"
      | "unrecognized_keys"
      | "not_finite"
      | "not_multiple_of"
      | "invalid_union"
      | "invalid_union_discriminator"
      | "invalid_key"
      | "invalid_date"
      | "invalid_intersection_types"
      | "invalid_arguments"
      | "invalid_return_type"
      | "custom";
    /** Object keys and array indexes from the root, e.g. ["items", 2, "name"]. */
    path: (string | number)[];
    /** zod's message, e.g. "Required", "Expected string, received number". */
    message: string;
    /** invalid_type: the type names. */
    expected?: string;
    received?: string;
    /** too_small / too_big. */
    minimum?: number | bigint;
    maximum?: number | bigint;
    inclusive?: boolean;
    exact?: boolean;
    type?: "string" | "number" | "array" | "bigint" | "date" | "set";
    /** invalid_enum_value, invalid_union_discriminator. */
    options?: unknown[];
    /** unrecognized_keys. */
    keys?: string[];
    /** invalid_string: "email", "url", "regex", "uuid"..., or { startsWith | endsWith | includes }. */
    validation?: string | { startsWith?: string; endsWith?: string; includes?: string };
    /** not_multiple_of. */
    multipleOf?: number;
    /** custom issues: what the plugin added. */
    [key: string]: unknown;
  }

  /** Thrown by parse(); message lists the issues, one "path: message" per line. */
  interface ZodError extends Error {
    readonly name: "ZodError";
    readonly issues: ZodIssue[];
    readonly errors: ZodIssue[];
    flatten(): { formErrors: string[]; fieldErrors: { [key: string]: string[] } };
    flatten<U>(mapIssue: (issue: ZodIssue) => U): { formErrors: U[]; fieldErrors: { [key: string]: U[] } };
    /** zod 3's nested form: { _errors: [...], field: { _errors: [...] } }. */
    format(): ZodFormattedError<string>;
    format<U>(mapIssue: (issue: ZodIssue) => U): ZodFormattedError<U>;
    readonly isEmpty: boolean;
    addIssue(issue: ZodIssue): void;
  }
  type ZodFormattedError<U> = { _errors: U[] } & { [key: string]: ZodFormattedError<U> | U[] };
  /** z.setErrorMap's map: the message for an issue whose message is zod's own. */
  type ZodErrorMap = (issue: ZodIssue, ctx: { defaultError: string; data?: unknown }) => { message: string };

  /** zod 3's type names, as _def.typeName. */
  type ZodFirstPartyTypeKind =
    | "ZodString" | "ZodNumber" | "ZodNaN" | "ZodBigInt" | "ZodBoolean" | "ZodDate" | "ZodSymbol" | "ZodUndefined"
    | "ZodNull" | "ZodAny" | "ZodUnknown" | "ZodNever" | "ZodVoid" | "ZodArray" | "ZodObject" | "ZodUnion"
    | "ZodDiscriminatedUnion" | "ZodIntersection" | "ZodTuple" | "ZodRecord" | "ZodMap" | "ZodSet" | "ZodFunction"
    | "ZodLazy" | "ZodLiteral" | "ZodEnum" | "ZodEffects" | "ZodNativeEnum" | "ZodOptional" | "ZodNullable"
    | "ZodDefault" | "ZodCatch" | "ZodPromise" | "ZodBranded" | "ZodPipeline" | "ZodReadonly";
  /** What zod 3 code reads from schema._def: typeName, and per type innerType, defaultValue(), checks, shape()... */
  interface ZodTypeDef {
    typeName: ZodFirstPartyTypeKind;
    description?: string;
    [key: string]: any;
  }

  type SafeParseSuccess<Output> = { success: true; data: Output; error?: never };
  type SafeParseError = { success: false; error: ZodError; data?: never };
  type SafeParseReturnType<Output> = SafeParseSuccess<Output> | SafeParseError;

  /** A check's optional message: a string or { message } (zod 4: { error }). */
  type ErrorMessage = string | { message?: string; error?: string };
  /** Options every constructor takes (or a message string, as zod 4). */
  type RawCreateParams =
    | string
    | {
        description?: string;
        message?: string;
        error?: string;
        invalid_type_error?: string;
      };
  /** .refine()'s options. */
  type RefineParams = string | { message?: string; error?: string; path?: (string | number)[] };
  /** An issue added in superRefine/transform. */
  interface IssueData {
    code?: string;
    message?: string;
    path?: (string | number)[];
    [k: string]: unknown;
  }
  interface RefinementCtx<T = unknown> {
    readonly value: T;
    addIssue(issue: IssueData | string): void;
  }
  /** Options of .datetime() / z.iso.datetime() and .time(). */
  interface DatetimeOptions {
    precision?: number | null;
    offset?: boolean;
    local?: boolean;
    message?: string;
    error?: string;
  }

  type noUndefined<T> = T extends undefined ? never : T;

  interface ZodType<Output = any, Input = Output> {
    /** Type-level only: the parsed type. Use z.infer<typeof schema>. */
    readonly _output: Output;
    /** Type-level only: the accepted input type. Use z.input<typeof schema>. */
    readonly _input: Input;
    /** The text given to .describe() (or .label()), if any. */
    readonly description: string | undefined;
    /** zod 3's definition of the schema (typeName, innerType, checks, shape()...), built on read. */
    readonly _def: ZodTypeDef;

    /** Validates data and returns the parsed copy (defaults filled, unknown keys stripped); throws ZodError. */
    parse(data: unknown): this["_output"];
    safeParse(data: unknown): SafeParseReturnType<this["_output"]>;
    parseAsync(data: unknown): Promise<this["_output"]>;
    safeParseAsync(data: unknown): Promise<SafeParseReturnType<this["_output"]>>;

    optional(): ZodOptional<this>;
    nullable(): ZodNullable<this>;
    nullish(): ZodOptional<ZodNullable<this>>;
    /** The output when the input is undefined, returned without validation, as zod 4 (a function is called once, when the schema is built). */
    default(value: noUndefined<this["_output"]> | (() => noUndefined<this["_output"]>)): ZodDefault<this>;
    /** Like .default(), but the value is validated as if given (zod 4's .prefault(), zod 3's .default()). */
    prefault(value: noUndefined<this["_input"]> | (() => noUndefined<this["_input"]>)): ZodDefault<this>;
    array(): ZodArray<this>;
    describe(description: string): this;

    /** Host: keep the value in the OS keyring only; prompt with hidden input; never log it. */
    secret(): this;
    /** Host: the title shown when asking the user for this value. */
    label(label: string): this;
    /** Host: group this field under a heading when asking the user. */
    section(section: string): this;
    /** Host: longer help shown beside the question (the SDK's tooltip). */
    helpText(text: string): this;
    /** Host: text shown in the empty input. */
    placeholder(text: string): this;
    /** Host: show an enum's options as radio buttons rather than a list. */
    radio(): this;

    /** Runs check on a value that passed every other check (synchronously; a Promise is refused). */
    refine(check: (value: this["_output"]) => unknown, params?: RefineParams): this;
    superRefine(check: (value: this["_output"], ctx: RefinementCtx<this["_output"]>) => void): this;
    transform<NewOut>(fn: (value: this["_output"], ctx: RefinementCtx<this["_output"]>) => NewOut): ZodPipe<this, NewOut>;
    /** The output when parsing fails (a function gets the input and the error). */
    catch(value: this["_output"] | ((ctx: { input: unknown; error: ZodError }) => this["_output"])): this;
    pipe<T extends ZodTypeAny>(next: T): ZodPipe<this, T["_output"]>;
    or<T extends ZodTypeAny>(other: T): ZodUnion<[this, T]>;
    /** z.intersection(this, other). */
    and<T extends ZodTypeAny>(other: T): ZodIntersection<this, T>;
    /** The parsed object or array is frozen (Object.freeze, not deep). */
    readonly(): this;
    /** Type-level only. */
    brand<B extends string | number | symbol = never>(brand?: B): this;
    /** zod 4: title and description; id names this schema's $defs entry in its JSON Schema; other keys (JSON values) are copied into its JSON Schema. */
    meta(data: { id?: string; title?: string; description?: string; [keyword: string]: unknown }): this;
    /** Host: this schema as a JSON Schema (draft 2020-12) document, as z.toJSONSchema(schema, options). */
    toJSONSchema(options?: { io?: "input" | "output" }): { [key: string]: unknown };
    /** Values are immutable; a clone is the same schema. */
    clone(): this;
    /** fn(this). */
    apply<R>(fn: (schema: this) => R): R;
    /** Drops .optional() and .nullable(). */
    unwrap(): ZodType<noUndefined<Exclude<this["_output"], null>>>;
    isOptional(): boolean;
    isNullable(): boolean;
    /** Host: this schema as a JSON Schema (draft 2020-12) document; z.toJSONSchema(schema) is the same. */
    jsonSchema(): { [key: string]: unknown };
  }
  /** A schema whose output a transform changed (zod 4's ZodPipe). */
  interface ZodPipe<In extends ZodTypeAny, Out> extends ZodType<Out, In["_input"]> {}
  type ZodTypeAny = ZodType<any, any>;

  interface ZodString extends ZodType<string> {
    min(minLength: number, message?: ErrorMessage): ZodString;
    max(maxLength: number, message?: ErrorMessage): ZodString;
    length(len: number, message?: ErrorMessage): ZodString;
    nonempty(message?: ErrorMessage): ZodString;
    url(message?: ErrorMessage): ZodString;
    email(message?: ErrorMessage): ZodString;
    /** JavaScript semantics (lookaround, backreferences); a match that runs past 100 ms fails the value with an issue. */
    regex(regex: RegExp, message?: ErrorMessage): ZodString;
    uuid(message?: ErrorMessage): ZodString;
    uuidv4(message?: ErrorMessage): ZodString;
    uuidv6(message?: ErrorMessage): ZodString;
    uuidv7(message?: ErrorMessage): ZodString;
    guid(message?: ErrorMessage): ZodString;
    cuid(message?: ErrorMessage): ZodString;
    cuid2(message?: ErrorMessage): ZodString;
    ulid(message?: ErrorMessage): ZodString;
    nanoid(message?: ErrorMessage): ZodString;
    ipv4(message?: ErrorMessage): ZodString;
    ipv6(message?: ErrorMessage): ZodString;
    cidrv4(message?: ErrorMessage): ZodString;
    cidrv6(message?: ErrorMessage): ZodString;
    base64(message?: ErrorMessage): ZodString;
    base64url(message?: ErrorMessage): ZodString;
    e164(message?: ErrorMessage): ZodString;
    datetime(options?: DatetimeOptions | string): ZodString;
    date(message?: ErrorMessage): ZodString;
    time(options?: DatetimeOptions | string): ZodString;
    startsWith(prefix: string, message?: ErrorMessage): ZodString;
    endsWith(suffix: string, message?: ErrorMessage): ZodString;
    includes(text: string, message?: ErrorMessage): ZodString;
    lowercase(message?: ErrorMessage): ZodString;
    uppercase(message?: ErrorMessage): ZodString;
    /** Changes the value for the checks after it and the output. */
    trim(): ZodString;
    toLowerCase(): ZodString;
    toUpperCase(): ZodString;
    /** zod 3: an IPv4 or IPv6 address (or only one version). */
    ip(options?: { version?: "v4" | "v6"; message?: string } | string): ZodString;
    emoji(message?: ErrorMessage): ZodString;
    /** An ISO 8601 duration such as P1DT2H. */
    duration(message?: ErrorMessage): ZodString;
  }

  interface ZodDate extends ZodType<Date> {
    min(minDate: Date, message?: ErrorMessage): ZodDate;
    max(maxDate: Date, message?: ErrorMessage): ZodDate;
  }
  interface ZodBigInt extends ZodType<bigint> {
    min(value: bigint, message?: ErrorMessage): ZodBigInt;
    gte(value: bigint, message?: ErrorMessage): ZodBigInt;
    max(value: bigint, message?: ErrorMessage): ZodBigInt;
    lte(value: bigint, message?: ErrorMessage): ZodBigInt;
    gt(value: bigint, message?: ErrorMessage): ZodBigInt;
    lt(value: bigint, message?: ErrorMessage): ZodBigInt;
    positive(message?: ErrorMessage): ZodBigInt;
    nonnegative(message?: ErrorMessage): ZodBigInt;
    negative(message?: ErrorMessage): ZodBigInt;
    nonpositive(message?: ErrorMessage): ZodBigInt;
    multipleOf(value: bigint, message?: ErrorMessage): ZodBigInt;
  }
  interface ZodMap<K extends ZodTypeAny, V extends ZodTypeAny> extends ZodType<Map<K["_output"], V["_output"]>, Map<K["_input"], V["_input"]>> {
    readonly keySchema: K;
    readonly valueSchema: V;
    min(minSize: number, message?: ErrorMessage): ZodMap<K, V>;
    max(maxSize: number, message?: ErrorMessage): ZodMap<K, V>;
    size(size: number, message?: ErrorMessage): ZodMap<K, V>;
    nonempty(message?: ErrorMessage): ZodMap<K, V>;
  }
  interface ZodSet<V extends ZodTypeAny> extends ZodType<Set<V["_output"]>, Set<V["_input"]>> {
    min(minSize: number, message?: ErrorMessage): ZodSet<V>;
    max(maxSize: number, message?: ErrorMessage): ZodSet<V>;
    size(size: number, message?: ErrorMessage): ZodSet<V>;
    nonempty(message?: ErrorMessage): ZodSet<V>;
  }
  /** A schema made on first use: recursive schemas (annotate the variable, as with zod). */
  interface ZodLazy<T extends ZodTypeAny> extends ZodType<T["_output"], T["_input"]> {
    readonly schema: T;
  }
  interface ZodIntersection<A extends ZodTypeAny, B extends ZodTypeAny> extends ZodType<A["_output"] & B["_output"], A["_input"] & B["_input"]> {}
  /** z.preprocess and z.custom: a schema with a plugin function in it. */
  interface ZodEffects<T extends ZodTypeAny, Output = T["_output"], Input = unknown> extends ZodType<Output, Input> {}
  /** Parses to a promise of the awaited value parsed by T. */
  interface ZodPromise<T extends ZodTypeAny> extends ZodType<Promise<T["_output"]>, Promise<T["_input"]>> {}
  /** zod 3's z.function(): parse() and implement() wrap a function so its arguments and result are checked. */
  interface ZodFunction<Args extends ZodTuple<any, any>, Returns extends ZodTypeAny> extends ZodType<
    (...args: Args["_input"]) => Returns["_output"],
    (...args: Args["_output"]) => Returns["_input"]
  > {
    args<const Items extends readonly ZodTypeAny[]>(...items: Items): ZodFunction<ZodTuple<Items, ZodUnknown>, Returns>;
    returns<R extends ZodTypeAny>(returnType: R): ZodFunction<Args, R>;
    /** zod 4's names for args and returns. */
    input<const Items extends readonly ZodTypeAny[]>(items: Items): ZodFunction<ZodTuple<Items>, Returns>;
    output<R extends ZodTypeAny>(returnType: R): ZodFunction<Args, R>;
    parameters(): Args;
    returnType(): Returns;
    implement<F extends (...args: Args["_output"]) => Returns["_input"]>(fn: F): (...args: Args["_input"]) => Returns["_output"];
    strictImplement(fn: (...args: Args["_output"]) => Returns["_input"]): (...args: Args["_input"]) => Returns["_output"];
  }
  type DeepPartial<T> = T extends Date | Map<any, any> | Set<any> | ((...a: any[]) => any)
    ? T
    : T extends (infer E)[]
      ? DeepPartial<E>[]
      : T extends object
        ? { [K in keyof T]?: DeepPartial<T[K]> }
        : T;
  /** A class of z values, for instanceof (zod 3's classes). */
  interface ZodClass<T> {
    readonly prototype: T;
    [Symbol.hasInstance](value: unknown): value is T;
    create?: (...args: any[]) => T;
  }

  interface ZodNumber extends ZodType<number> {
    min(value: number, message?: ErrorMessage): ZodNumber;
    gte(value: number, message?: ErrorMessage): ZodNumber;
    max(value: number, message?: ErrorMessage): ZodNumber;
    lte(value: number, message?: ErrorMessage): ZodNumber;
    gt(value: number, message?: ErrorMessage): ZodNumber;
    lt(value: number, message?: ErrorMessage): ZodNumber;
    int(message?: ErrorMessage): ZodNumber;
    positive(message?: ErrorMessage): ZodNumber;
    nonnegative(message?: ErrorMessage): ZodNumber;
    negative(message?: ErrorMessage): ZodNumber;
    nonpositive(message?: ErrorMessage): ZodNumber;
    /** zod 4: every number is finite; kept for zod 3 code. */
    finite(message?: ErrorMessage): ZodNumber;
    /** zod 4: the same as .int(). */
    safe(message?: ErrorMessage): ZodNumber;
    multipleOf(value: number, message?: ErrorMessage): ZodNumber;
    step(value: number, message?: ErrorMessage): ZodNumber;
  }

  interface ZodBoolean extends ZodType<boolean> {}
  interface ZodNull extends ZodType<null> {}
  interface ZodAny extends ZodType<any> {}
  interface ZodUnknown extends ZodType<unknown> {}

  interface ZodLiteral<T extends Primitive> extends ZodType<T> {
    readonly value: T;
    readonly values: T[];
  }

  type EnumValues = readonly [string, ...string[]];
  type EnumLike<T extends EnumValues> = { [K in T[number]]: K };

  interface ZodEnum<T extends EnumValues> extends ZodType<T[number]> {
    readonly options: T;
    readonly enum: EnumLike<T>;
    extract<const U extends readonly [T[number], ...T[number][]]>(values: U): ZodEnum<U>;
    exclude<const U extends readonly [T[number], ...T[number][]]>(values: U): ZodEnum<[Exclude<T[number], U[number]>, ...Exclude<T[number], U[number]>[]]>;
  }
  /** z.nativeEnum(E): the values of a TypeScript enum or a constant object. */
  interface ZodNativeEnum<E extends { [k: string]: string | number }> extends ZodType<E[keyof E]> {}

  interface ZodUnion<T extends readonly ZodTypeAny[]> extends ZodType<T[number]["_output"], T[number]["_input"]> {
    readonly options: T;
  }
  interface ZodRecord<K extends ZodType<string | number, any>, V extends ZodTypeAny> extends ZodType<
    Record<K["_output"], V["_output"]>,
    Record<K["_input"], V["_input"]>
  > {
    readonly keySchema: K;
    readonly valueSchema: V;
  }
  type tupleOutput<T extends readonly ZodTypeAny[]> = { -readonly [K in keyof T]: T[K] extends ZodTypeAny ? T[K]["_output"] : never };
  type tupleInput<T extends readonly ZodTypeAny[]> = { -readonly [K in keyof T]: T[K] extends ZodTypeAny ? T[K]["_input"] : never };
  interface ZodTuple<T extends readonly ZodTypeAny[], R extends ZodTypeAny | null = null> extends ZodType<
    R extends ZodTypeAny ? [...tupleOutput<T>, ...R["_output"][]] : tupleOutput<T>,
    R extends ZodTypeAny ? [...tupleInput<T>, ...R["_input"][]] : tupleInput<T>
  > {
    readonly items: T;
    rest<Rest extends ZodTypeAny>(rest: Rest): ZodTuple<T, Rest>;
  }

  type ArrayCardinality = "many" | "atleastone";
  type arrayOutputType<T extends ZodTypeAny, C extends ArrayCardinality> = C extends "atleastone"
    ? [T["_output"], ...T["_output"][]]
    : T["_output"][];

  // ZodArray and ZodObject declare their types as members, not as ZodType's
  // arguments: TypeScript resolves members only when asked, so a schema may
  // refer to itself through a getter of its shape (zod 4's recursion).
  interface ZodArray<T extends ZodTypeAny, C extends ArrayCardinality = "many"> extends ZodType<any, any> {
    readonly _output: arrayOutputType<T, C>;
    readonly _input: C extends "atleastone" ? [T["_input"], ...T["_input"][]] : T["_input"][];
    /** Type-level only: never undefined. */
    readonly _optout: "required";
    readonly _optin: "required";
    readonly element: T;
    min(minLength: number, message?: ErrorMessage): this;
    max(maxLength: number, message?: ErrorMessage): this;
    length(len: number, message?: ErrorMessage): this;
    nonempty(message?: ErrorMessage): ZodArray<T, "atleastone">;
  }

  type ZodRawShape = { [k: string]: any }; // any, not ZodTypeAny: a getter field is not resolved to check it
  type UnknownKeysParam = "passthrough" | "strict" | "strip";

  type flatten<T> = { [K in keyof T]: T[K] } & {};
  // Whether a field may be missing, from its schema's marker (_optout,
  // _optin: set by the kinds a getter may return, so that a recursive
  // schema's keys are found without computing its type), else from whether
  // its type admits undefined.
  type keyOptional<S, Marker extends "_optout" | "_optin", T> = S extends { readonly [M in Marker]: "optional" }
    ? true
    : S extends { readonly [M in Marker]: "required" }
      ? false
      : undefined extends T
        ? true
        : false;
  type shapeType<Shape, Marker extends "_optout" | "_optin", IO extends "_output" | "_input"> = {
    -readonly [K in keyof Shape as keyOptional<Shape[K], Marker, Shape[K][IO & keyof Shape[K]]> extends true ? never : K]: Shape[K][IO &
      keyof Shape[K]];
  } & {
    -readonly [K in keyof Shape as keyOptional<Shape[K], Marker, Shape[K][IO & keyof Shape[K]]> extends true ? K : never]?: Shape[K][IO &
      keyof Shape[K]];
  };
  type objectOutputType<Shape extends ZodRawShape, UnknownKeys extends UnknownKeysParam> = flatten<
    shapeType<Shape, "_optout", "_output">
  > &
    (UnknownKeys extends "passthrough" ? { [k: string]: unknown } : {});
  type objectInputType<Shape extends ZodRawShape, UnknownKeys extends UnknownKeysParam> = flatten<
    shapeType<Shape, "_optin", "_input">
  > &
    (UnknownKeys extends "passthrough" ? { [k: string]: unknown } : {});

  type extendShape<A, B> = flatten<Omit<A, keyof B> & B>;
  type Mask<Shape> = { [K in keyof Shape]?: true };

  interface ZodObject<Shape extends ZodRawShape, UnknownKeys extends UnknownKeysParam = "strip"> extends ZodType<any, any> {
    readonly _output: objectOutputType<Shape, UnknownKeys>;
    readonly _input: objectInputType<Shape, UnknownKeys>;
    /** Type-level only: never undefined. */
    readonly _optout: "required";
    readonly _optin: "required";
    readonly shape: Shape;
    strict(message?: ErrorMessage): ZodObject<Shape, "strict">;
    passthrough(): ZodObject<Shape, "passthrough">;
    loose(): ZodObject<Shape, "passthrough">;
    /** Undeclared keys are kept when their values match rest. */
    catchall<Rest extends ZodTypeAny>(rest: Rest): ZodObject<Shape, "passthrough">;
    strip(): ZodObject<Shape, "strip">;
    extend<Augmentation extends ZodRawShape>(
      augmentation: Augmentation,
    ): ZodObject<extendShape<Shape, Augmentation>, UnknownKeys>;
    merge<Incoming extends ZodObject<any, any>>(
      merging: Incoming,
    ): ZodObject<extendShape<Shape, Incoming["shape"]>, UnknownKeys>;
    pick<M extends Mask<Shape>>(mask: M): ZodObject<Pick<Shape, Extract<keyof Shape, keyof M>>, UnknownKeys>;
    omit<M extends Mask<Shape>>(mask: M): ZodObject<Omit<Shape, keyof M>, UnknownKeys>;
    safeExtend<Augmentation extends ZodRawShape>(
      augmentation: Augmentation,
    ): ZodObject<extendShape<Shape, Augmentation>, UnknownKeys>;
    partial(): ZodObject<{ [K in keyof Shape]: ZodOptional<Shape[K]> }, UnknownKeys>;
    partial<M extends Mask<Shape>>(
      mask: M,
    ): ZodObject<{ [K in keyof Shape]: K extends keyof M ? ZodOptional<Shape[K]> : Shape[K] }, UnknownKeys>;
    required(): ZodObject<{ [K in keyof Shape]: ZodNonOptional<Shape[K]> }, UnknownKeys>;
    required<M extends Mask<Shape>>(
      mask: M,
    ): ZodObject<{ [K in keyof Shape]: K extends keyof M ? ZodNonOptional<Shape[K]> : Shape[K] }, UnknownKeys>;
    keyof(): ZodEnum<[Extract<keyof Shape, string>, ...Extract<keyof Shape, string>[]]>;
    /** zod 3: every field optional, at every depth. */
    deepPartial(): ZodObject<any, UnknownKeys> & ZodType<DeepPartial<objectOutputType<Shape, UnknownKeys>>>;
  }

  interface ZodOptional<T extends ZodTypeAny> extends ZodType<any, any> {
    readonly _output: T["_output"] | undefined;
    readonly _input: T["_input"] | undefined;
    /** Type-level only: may be missing. */
    readonly _optout: "optional";
    readonly _optin: "optional";
  }
  interface ZodNullable<T extends ZodTypeAny> extends ZodType<any, any> {
    readonly _output: T["_output"] | null;
    readonly _input: T["_input"] | null;
    /** Type-level only: as T's. */
    readonly _optout: T extends { readonly _optout: infer O } ? O : "unknown";
    readonly _optin: T extends { readonly _optin: infer O } ? O : "unknown";
  }
  interface ZodDefault<T extends ZodTypeAny> extends ZodType<noUndefined<T["_output"]>, T["_input"] | undefined> {}
  interface ZodNonOptional<T extends ZodTypeAny> extends ZodType<noUndefined<T["_output"]>, noUndefined<T["_input"]>> {}

  /** The parsed type of a schema: `type Config = z.infer<typeof configSchema>`. */
  type infer<T extends ZodType<any, any>> = T["_output"];
  type output<T extends ZodType<any, any>> = T["_output"];
  type input<T extends ZodType<any, any>> = T["_input"];

  /** The value side of `z`. */
  interface ZodNamespace {
    string(params?: RawCreateParams): ZodString;
    number(params?: RawCreateParams): ZodNumber;
    boolean(params?: RawCreateParams): ZodBoolean;
    any(params?: RawCreateParams): ZodAny;
    unknown(params?: RawCreateParams): ZodUnknown;
    literal<const T extends Primitive>(value: T, params?: RawCreateParams): ZodLiteral<T>;
    literal<const T extends readonly [Primitive, ...Primitive[]]>(values: T, params?: RawCreateParams): ZodLiteral<T[number]>;
    enum<const T extends EnumValues>(values: T, params?: RawCreateParams): ZodEnum<T>;
    array<T extends ZodTypeAny>(schema: T, params?: RawCreateParams): ZodArray<T>;
    object<Shape extends ZodRawShape>(shape: Shape, params?: RawCreateParams): ZodObject<Shape>;
    strictObject<Shape extends ZodRawShape>(shape: Shape, params?: RawCreateParams): ZodObject<Shape, "strict">;
    looseObject<Shape extends ZodRawShape>(shape: Shape, params?: RawCreateParams): ZodObject<Shape, "passthrough">;
    null(params?: RawCreateParams): ZodNull;
    int(params?: RawCreateParams): ZodNumber;
    nativeEnum<E extends { [k: string]: string | number }>(values: E, params?: RawCreateParams): ZodNativeEnum<E>;
    union<const T extends readonly [ZodTypeAny, ...ZodTypeAny[]]>(options: T, params?: RawCreateParams): ZodUnion<T>;
    discriminatedUnion<const T extends readonly [ZodObject<any, any>, ...ZodObject<any, any>[]]>(
      discriminator: string,
      options: T,
      params?: RawCreateParams,
    ): ZodUnion<T>;
    /** z.record(key, value); zod 3's z.record(value) means string keys. */
    record<V extends ZodTypeAny>(value: V, params?: RawCreateParams): ZodRecord<ZodString, V>;
    record<K extends ZodType<string | number, any>, V extends ZodTypeAny>(key: K, value: V, params?: RawCreateParams): ZodRecord<K, V>;
    tuple<const T extends readonly ZodTypeAny[]>(items: T, params?: RawCreateParams): ZodTuple<T>;
    tuple<const T extends readonly ZodTypeAny[], R extends ZodTypeAny>(items: T, rest: R, params?: RawCreateParams): ZodTuple<T, R>;
    optional<T extends ZodTypeAny>(schema: T): ZodOptional<T>;
    nullable<T extends ZodTypeAny>(schema: T): ZodNullable<T>;
    nullish<T extends ZodTypeAny>(schema: T): ZodOptional<ZodNullable<T>>;
    email(params?: ErrorMessage): ZodString;
    url(params?: ErrorMessage): ZodString;
    uuid(params?: ErrorMessage): ZodString;
    uuidv4(params?: ErrorMessage): ZodString;
    uuidv6(params?: ErrorMessage): ZodString;
    uuidv7(params?: ErrorMessage): ZodString;
    guid(params?: ErrorMessage): ZodString;
    cuid(params?: ErrorMessage): ZodString;
    cuid2(params?: ErrorMessage): ZodString;
    ulid(params?: ErrorMessage): ZodString;
    nanoid(params?: ErrorMessage): ZodString;
    ipv4(params?: ErrorMessage): ZodString;
    ipv6(params?: ErrorMessage): ZodString;
    cidrv4(params?: ErrorMessage): ZodString;
    cidrv6(params?: ErrorMessage): ZodString;
    base64(params?: ErrorMessage): ZodString;
    base64url(params?: ErrorMessage): ZodString;
    e164(params?: ErrorMessage): ZodString;
    iso: {
      datetime(options?: DatetimeOptions | string): ZodString;
      date(params?: ErrorMessage): ZodString;
      time(options?: DatetimeOptions | string): ZodString;
      duration(params?: ErrorMessage): ZodString;
    };
    /** Converts the input first, as String(v), Number(v), Boolean(v), new Date(v), BigInt(v). */
    coerce: {
      string(params?: RawCreateParams): ZodString;
      number(params?: RawCreateParams): ZodNumber;
      boolean(params?: RawCreateParams): ZodBoolean;
      date(params?: RawCreateParams): ZodDate;
      bigint(params?: RawCreateParams): ZodBigInt;
    };
    emoji(params?: ErrorMessage): ZodString;
    /** A Date (a config field: a date input on the setup page, ISO text in the terminal and the config file). */
    date(params?: RawCreateParams): ZodDate;
    bigint(params?: RawCreateParams): ZodBigInt;
    map<K extends ZodTypeAny, V extends ZodTypeAny>(key: K, value: V, params?: RawCreateParams): ZodMap<K, V>;
    set<V extends ZodTypeAny>(value: V, params?: RawCreateParams): ZodSet<V>;
    lazy<T extends ZodTypeAny>(getter: () => T, params?: RawCreateParams): ZodLazy<T>;
    intersection<A extends ZodTypeAny, B extends ZodTypeAny>(left: A, right: B, params?: RawCreateParams): ZodIntersection<A, B>;
    /** Runs fn on the input, then parses its result with schema. */
    preprocess<T extends ZodTypeAny>(fn: (value: unknown, ctx: RefinementCtx<unknown>) => unknown, schema: T): ZodEffects<T>;
    custom<T = unknown>(check?: (value: unknown) => unknown, params?: RefineParams | ((value: unknown) => RefineParams)): ZodType<T>;
    instanceof<T extends abstract new (...args: any[]) => any>(cls: T, params?: RefineParams): ZodType<InstanceType<T>>;
    promise<T extends ZodTypeAny>(schema: T, params?: RawCreateParams): ZodPromise<T>;
    function(): ZodFunction<ZodTuple<[], ZodUnknown>, ZodUnknown>;
    function<Args extends ZodTuple<any, any>>(args: Args): ZodFunction<Args, ZodUnknown>;
    function<Args extends ZodTuple<any, any>, R extends ZodTypeAny>(args: Args, returns: R): ZodFunction<Args, R>;
    function<const In extends readonly ZodTypeAny[], R extends ZodTypeAny = ZodUnknown>(def: { input?: In; output?: R }): ZodFunction<ZodTuple<In>, R>;
    /** zod 3's global error map (for this plugin): messages for issues that have no message of the plugin's own. */
    setErrorMap(map: ZodErrorMap): void;
    getErrorMap(): ZodErrorMap;
    /** zod 3's type names, for _def.typeName. */
    readonly ZodFirstPartyTypeKind: { readonly [K in ZodFirstPartyTypeKind]: K };
    readonly ZodIssueCode: { readonly [K in ZodIssue["code"]]: K };
    readonly ZodType: ZodClass<ZodTypeAny>;
    readonly ZodSchema: ZodClass<ZodTypeAny>;
    readonly Schema: ZodClass<ZodTypeAny>;
    readonly ZodString: ZodClass<ZodString>;
    readonly ZodNumber: ZodClass<ZodNumber>;
    readonly ZodBigInt: ZodClass<ZodBigInt>;
    readonly ZodBoolean: ZodClass<ZodBoolean>;
    readonly ZodDate: ZodClass<ZodDate>;
    readonly ZodNull: ZodClass<ZodNull>;
    readonly ZodAny: ZodClass<ZodAny>;
    readonly ZodUnknown: ZodClass<ZodUnknown>;
    readonly ZodArray: ZodClass<ZodArray<ZodTypeAny>>;
    readonly ZodObject: ZodClass<ZodObject<ZodRawShape, UnknownKeysParam>>;
    readonly ZodUnion: ZodClass<ZodUnion<ZodTypeAny[]>>;
    readonly ZodDiscriminatedUnion: ZodClass<ZodUnion<ZodTypeAny[]>>;
    readonly ZodIntersection: ZodClass<ZodIntersection<ZodTypeAny, ZodTypeAny>>;
    readonly ZodTuple: ZodClass<ZodTuple<ZodTypeAny[], any>>;
    readonly ZodRecord: ZodClass<ZodRecord<ZodType<string | number, any>, ZodTypeAny>>;
    readonly ZodMap: ZodClass<ZodMap<ZodTypeAny, ZodTypeAny>>;
    readonly ZodSet: ZodClass<ZodSet<ZodTypeAny>>;
    readonly ZodFunction: ZodClass<ZodFunction<any, any>>;
    readonly ZodLazy: ZodClass<ZodLazy<ZodTypeAny>>;
    readonly ZodLiteral: ZodClass<ZodLiteral<Primitive>>;
    readonly ZodEnum: ZodClass<ZodEnum<EnumValues>>;
    readonly ZodNativeEnum: ZodClass<ZodNativeEnum<{ [k: string]: string | number }>>;
    readonly ZodEffects: ZodClass<ZodEffects<ZodTypeAny>>;
    readonly ZodOptional: ZodClass<ZodOptional<ZodTypeAny>>;
    readonly ZodNullable: ZodClass<ZodNullable<ZodTypeAny>>;
    readonly ZodDefault: ZodClass<ZodDefault<ZodTypeAny>>;
    readonly ZodCatch: ZodClass<ZodTypeAny>;
    readonly ZodPromise: ZodClass<ZodPromise<ZodTypeAny>>;
    readonly ZodPipeline: ZodClass<ZodTypeAny>;
    readonly ZodReadonly: ZodClass<ZodTypeAny>;
    readonly ZodBranded: ZodClass<ZodTypeAny>;
    readonly ZodNaN: ZodClass<ZodTypeAny>;
    readonly ZodSymbol: ZodClass<ZodTypeAny>;
    readonly ZodUndefined: ZodClass<ZodTypeAny>;
    readonly ZodNever: ZodClass<ZodTypeAny>;
    readonly ZodVoid: ZodClass<ZodTypeAny>;
    parse<T extends ZodTypeAny>(schema: T, data: unknown): T["_output"];
    safeParse<T extends ZodTypeAny>(schema: T, data: unknown): SafeParseReturnType<T["_output"]>;
    parseAsync<T extends ZodTypeAny>(schema: T, data: unknown): Promise<T["_output"]>;
    safeParseAsync<T extends ZodTypeAny>(schema: T, data: unknown): Promise<SafeParseReturnType<T["_output"]>>;
    /** zod 4's z.toJSONSchema: draft 2020-12; io "input" describes what may be given (defaults optional). */
    toJSONSchema(schema: ZodTypeAny, options?: { io?: "input" | "output" }): { [key: string]: unknown };
    /** Returned from a transform after ctx.addIssue(), as zod's z.NEVER. */
    readonly NEVER: never;
    ZodError: {
      new (issues: ZodIssue[], message?: string): ZodError;
      readonly prototype: ZodError;
    };
  }
}

/** zod's builder, backed by the host's Go schema model. */
declare const z: z.ZodNamespace;
