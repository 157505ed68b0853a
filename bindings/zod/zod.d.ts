// Types for the host's global `z`: the part of zod (v3 API) the host
// implements, plus the setup metadata methods .secret(), .label() and
// .section(). A global script: `z` and `z.infer<typeof schema>` need no
// import. Kept in step with bindings/zod/zod.go.

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
      | "not_finite";
    /** Object keys and array indexes from the root, e.g. ["items", 2, "name"]. */
    path: (string | number)[];
    /** zod's message, e.g. "Required", "Expected string, received number". */
    message: string;
  }

  /** Thrown by parse(); message lists the issues, one "path: message" per line. */
  interface ZodError extends Error {
    readonly name: "ZodError";
    readonly issues: ZodIssue[];
    readonly errors: ZodIssue[];
    flatten(): { formErrors: string[]; fieldErrors: { [key: string]: string[] } };
    flatten<U>(mapIssue: (issue: ZodIssue) => U): { formErrors: U[]; fieldErrors: { [key: string]: U[] } };
  }

  type SafeParseSuccess<Output> = { success: true; data: Output; error?: never };
  type SafeParseError = { success: false; error: ZodError; data?: never };
  type SafeParseReturnType<Output> = SafeParseSuccess<Output> | SafeParseError;

  /** A check's optional message: a string or { message }. */
  type ErrorMessage = string | { message?: string };
  /** Options every constructor takes. */
  interface RawCreateParams {
    description?: string;
    message?: string;
    invalid_type_error?: string;
  }

  type noUndefined<T> = T extends undefined ? never : T;

  interface ZodType<Output = any, Input = Output> {
    /** Type-level only: the parsed type. Use z.infer<typeof schema>. */
    readonly _output: Output;
    /** Type-level only: the accepted input type. Use z.input<typeof schema>. */
    readonly _input: Input;
    /** The text given to .describe(), if any. */
    readonly description: string | undefined;

    /** Validates data and returns the parsed copy (defaults filled, unknown keys stripped); throws ZodError. */
    parse(data: unknown): Output;
    safeParse(data: unknown): SafeParseReturnType<Output>;
    parseAsync(data: unknown): Promise<Output>;
    safeParseAsync(data: unknown): Promise<SafeParseReturnType<Output>>;

    optional(): ZodOptional<this>;
    nullable(): ZodNullable<this>;
    nullish(): ZodOptional<ZodNullable<this>>;
    /** Value used when the input is undefined (a function is called once, when the schema is built). */
    default(value: noUndefined<Input> | (() => noUndefined<Input>)): ZodDefault<this>;
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

    isOptional(): boolean;
    isNullable(): boolean;
    /** Host: this schema as a JSON Schema (draft 2020-12) document. */
    jsonSchema(): { [key: string]: unknown };
  }
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
    finite(message?: ErrorMessage): ZodNumber;
  }

  interface ZodBoolean extends ZodType<boolean> {}
  interface ZodAny extends ZodType<any> {}
  interface ZodUnknown extends ZodType<unknown> {}

  interface ZodLiteral<T extends Primitive> extends ZodType<T> {
    readonly value: T;
  }

  type EnumValues = readonly [string, ...string[]];
  type EnumLike<T extends EnumValues> = { [K in T[number]]: K };

  interface ZodEnum<T extends EnumValues> extends ZodType<T[number]> {
    readonly options: T;
    readonly enum: EnumLike<T>;
  }

  type ArrayCardinality = "many" | "atleastone";
  type arrayOutputType<T extends ZodTypeAny, C extends ArrayCardinality> = C extends "atleastone"
    ? [T["_output"], ...T["_output"][]]
    : T["_output"][];

  interface ZodArray<T extends ZodTypeAny, C extends ArrayCardinality = "many"> extends ZodType<
    arrayOutputType<T, C>,
    C extends "atleastone" ? [T["_input"], ...T["_input"][]] : T["_input"][]
  > {
    readonly element: T;
    min(minLength: number, message?: ErrorMessage): this;
    max(maxLength: number, message?: ErrorMessage): this;
    length(len: number, message?: ErrorMessage): this;
    nonempty(message?: ErrorMessage): ZodArray<T, "atleastone">;
  }

  type ZodRawShape = { [k: string]: ZodTypeAny };
  type UnknownKeysParam = "passthrough" | "strict" | "strip";

  type optionalKeys<T extends object> = { [K in keyof T]: undefined extends T[K] ? K : never }[keyof T];
  type requiredKeys<T extends object> = { [K in keyof T]: undefined extends T[K] ? never : K }[keyof T];
  type addQuestionMarks<T extends object> = { [K in requiredKeys<T>]: T[K] } & { [K in optionalKeys<T>]?: T[K] };
  type flatten<T> = { [K in keyof T]: T[K] } & {};
  type objectOutputType<Shape extends ZodRawShape, UnknownKeys extends UnknownKeysParam> = flatten<
    addQuestionMarks<{ [K in keyof Shape]: Shape[K]["_output"] }>
  > &
    (UnknownKeys extends "passthrough" ? { [k: string]: unknown } : {});
  type objectInputType<Shape extends ZodRawShape, UnknownKeys extends UnknownKeysParam> = flatten<
    addQuestionMarks<{ [K in keyof Shape]: Shape[K]["_input"] }>
  > &
    (UnknownKeys extends "passthrough" ? { [k: string]: unknown } : {});

  type extendShape<A, B> = flatten<Omit<A, keyof B> & B>;
  type Mask<Shape> = { [K in keyof Shape]?: true };

  interface ZodObject<Shape extends ZodRawShape, UnknownKeys extends UnknownKeysParam = "strip"> extends ZodType<
    objectOutputType<Shape, UnknownKeys>,
    objectInputType<Shape, UnknownKeys>
  > {
    readonly shape: Shape;
    strict(message?: ErrorMessage): ZodObject<Shape, "strict">;
    passthrough(): ZodObject<Shape, "passthrough">;
    strip(): ZodObject<Shape, "strip">;
    extend<Augmentation extends ZodRawShape>(
      augmentation: Augmentation,
    ): ZodObject<extendShape<Shape, Augmentation>, UnknownKeys>;
    merge<Incoming extends ZodObject<any, any>>(
      merging: Incoming,
    ): ZodObject<extendShape<Shape, Incoming["shape"]>, UnknownKeys>;
    pick<M extends Mask<Shape>>(mask: M): ZodObject<Pick<Shape, Extract<keyof Shape, keyof M>>, UnknownKeys>;
    omit<M extends Mask<Shape>>(mask: M): ZodObject<Omit<Shape, keyof M>, UnknownKeys>;
    partial(): ZodObject<{ [K in keyof Shape]: ZodOptional<Shape[K]> }, UnknownKeys>;
    keyof(): ZodEnum<[Extract<keyof Shape, string>, ...Extract<keyof Shape, string>[]]>;
  }

  interface ZodOptional<T extends ZodTypeAny> extends ZodType<T["_output"] | undefined, T["_input"] | undefined> {}
  interface ZodNullable<T extends ZodTypeAny> extends ZodType<T["_output"] | null, T["_input"] | null> {}
  interface ZodDefault<T extends ZodTypeAny> extends ZodType<noUndefined<T["_output"]>, T["_input"] | undefined> {}

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
    enum<const T extends EnumValues>(values: T, params?: RawCreateParams): ZodEnum<T>;
    array<T extends ZodTypeAny>(schema: T, params?: RawCreateParams): ZodArray<T>;
    object<Shape extends ZodRawShape>(shape: Shape, params?: RawCreateParams): ZodObject<Shape>;
    optional<T extends ZodTypeAny>(schema: T): ZodOptional<T>;
    nullable<T extends ZodTypeAny>(schema: T): ZodNullable<T>;
    ZodError: {
      new (issues: ZodIssue[], message?: string): ZodError;
      readonly prototype: ZodError;
    };
  }
}

/** zod's builder, backed by the host's Go schema model. */
declare const z: z.ZodNamespace;
