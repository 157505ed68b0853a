// Every common matcher, each used the way passing tests use it.
import { describe, it, test, expect, vi } from 'vitest';

class Thing { constructor(public n: number) {} }

describe('equality', () => {
  it('toBe and toEqual', () => {
    expect(1 + 1).toBe(2);
    expect({ a: [1, { b: 2 }] }).toEqual({ a: [1, { b: 2 }] });
    expect({ a: 1, b: undefined }).toEqual({ a: 1 });
    expect({ a: 1 }).not.toStrictEqual({ a: 1, b: undefined });
    expect([1, 2]).toStrictEqual([1, 2]);
    expect(new Thing(1)).toEqual(new Thing(1));
    expect(NaN).toBe(NaN);
  });
  it('objects and arrays', () => {
    expect([1, 2, 3]).toContain(2);
    expect('hello world').toContain('lo w');
    expect([{ id: 1 }, { id: 2 }]).toContainEqual({ id: 2 });
    expect([1, 2, 3]).toHaveLength(3);
    expect({ a: 1, b: { c: 2, d: 3 } }).toMatchObject({ b: { c: 2 } });
    expect({ a: { b: [1, 2] } }).toHaveProperty('a.b.1', 2);
    expect({ x: 1, y: 'two' }).toEqual({ x: expect.any(Number), y: expect.stringContaining('tw') });
    expect({ x: 1, y: 2 }).toEqual(expect.objectContaining({ y: 2 }));
    expect([3, 1, 2]).toEqual(expect.arrayContaining([1, 3]));
  });
});

describe('values', () => {
  test('definedness and truth', () => {
    expect(0).toBeDefined();
    expect(undefined).toBeUndefined();
    expect(null).toBeNull();
    expect('x').toBeTruthy();
    expect('').toBeFalsy();
    expect(NaN).toBeNaN();
    expect(new Thing(2)).toBeInstanceOf(Thing);
    expect(typeof 's').toBeTypeOf('string');
  });
  test('numbers and strings', () => {
    expect(3).toBeGreaterThan(2);
    expect(3).toBeGreaterThanOrEqual(3);
    expect(2).toBeLessThan(3);
    expect(2).toBeLessThanOrEqual(2);
    expect(0.1 + 0.2).toBeCloseTo(0.3);
    expect('plugin.ts').toMatch(/\.ts$/);
    expect('abc').toMatch('b');
  });
});

describe('errors and promises', () => {
  it('toThrow', () => {
    expect(() => { throw new TypeError('bad input'); }).toThrow('bad input');
    expect(() => { throw new TypeError('bad input'); }).toThrow(TypeError);
    expect(() => { throw new Error('code 42'); }).toThrow(/\d+/);
    expect(() => 1).not.toThrow();
    expect(() => { throw new Error('x'); }).toThrowError('x');
  });
  it('resolves and rejects', async () => {
    await expect(Promise.resolve({ ok: true })).resolves.toEqual({ ok: true });
    await expect(Promise.reject(new Error('nope'))).rejects.toThrow('nope');
    await expect(async () => { throw new Error('async nope'); }).rejects.toThrow('async nope');
  });
  it('expect.assertions counts', async () => {
    expect.assertions(2);
    expect(1).toBe(1);
    await Promise.resolve();
    expect(2).toBe(2);
  });
});

describe('spies', () => {
  it('vi.fn', () => {
    const f = vi.fn((a: number, b: number) => a + b);
    expect(f(1, 2)).toBe(3);
    f(3, 4);
    expect(f).toHaveBeenCalled();
    expect(f).toHaveBeenCalledTimes(2);
    expect(f).toHaveBeenCalledWith(3, 4);
    expect(f).toHaveBeenLastCalledWith(3, 4);
    expect(f).toHaveReturnedWith(7);
    expect(f.mock.calls).toEqual([[1, 2], [3, 4]]);
    const g = vi.fn().mockReturnValueOnce('first').mockReturnValue('rest');
    expect([g(), g(), g()]).toEqual(['first', 'rest', 'rest']);
    const h = vi.fn().mockResolvedValue(5);
    return expect(h()).resolves.toBe(5);
  });
  it('vi.spyOn', () => {
    const obj = { greet: (n: string) => 'hi ' + n };
    const spy = vi.spyOn(obj, 'greet').mockImplementation((n) => 'yo ' + n);
    expect(obj.greet('a')).toBe('yo a');
    expect(spy).toHaveBeenCalledWith('a');
    spy.mockRestore();
    expect(obj.greet('a')).toBe('hi a');
    expect(vi.isMockFunction(spy)).toBe(true);
  });
});

test.each([
  [1, 1, 2],
  [2, 3, 5],
])('add(%i, %i) = %i', (a, b, sum) => {
  expect(a + b).toBe(sum);
});
