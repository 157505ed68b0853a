import { describe, it, expect, beforeEach, vi } from 'vitest';

function slug(s: string): string { return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''); }

describe('suite 0', () => {
  let items: { id: number; name: string; tags: string[] }[];
  beforeEach(() => { items = Array.from({ length: 20 }, (_, i) => ({ id: i, name: 'Item ' + i, tags: ['t' + (i % 3)] })); });
  it('equality 0', () => {
    expect(items[0]).toEqual({ id: 0, name: 'Item 0', tags: ['t0'] });
    expect(items).toHaveLength(20);
  });
  it('strings 1', () => {
    expect(slug('Hello World 1!')).toBe('hello-world-1');
    expect(slug('A b')).toMatch(/^a-b$/);
  });
  it('spies 2', () => {
    const f = vi.fn((x: number) => x * 2);
    items.forEach((i) => f(i.id));
    expect(f).toHaveBeenCalledTimes(20);
    expect(f).toHaveBeenCalledWith(2);
  });
  it('async 3', async () => {
    await expect(Promise.resolve(items.filter((i) => i.tags.includes('t1')).length)).resolves.toBe(7);
    await expect(Promise.reject(new Error('no 3'))).rejects.toThrow('no 3');
  });
  it('objects 4', () => {
    expect({ list: items.slice(0, 3), total: 20 }).toMatchObject({ total: 20, list: [{ id: 0 }, { id: 1 }, { id: 2 }] });
    expect(items.map((i) => i.name)).toContain('Item 4');
  });
  it('equality 5', () => {
    expect(items[5]).toEqual({ id: 5, name: 'Item 5', tags: ['t2'] });
    expect(items).toHaveLength(20);
  });
  it('strings 6', () => {
    expect(slug('Hello World 6!')).toBe('hello-world-6');
    expect(slug('A b')).toMatch(/^a-b$/);
  });
  it('spies 7', () => {
    const f = vi.fn((x: number) => x * 2);
    items.forEach((i) => f(i.id));
    expect(f).toHaveBeenCalledTimes(20);
    expect(f).toHaveBeenCalledWith(7);
  });
  it('async 8', async () => {
    await expect(Promise.resolve(items.filter((i) => i.tags.includes('t1')).length)).resolves.toBe(7);
    await expect(Promise.reject(new Error('no 8'))).rejects.toThrow('no 8');
  });
  it('objects 9', () => {
    expect({ list: items.slice(0, 3), total: 20 }).toMatchObject({ total: 20, list: [{ id: 0 }, { id: 1 }, { id: 2 }] });
    expect(items.map((i) => i.name)).toContain('Item 9');
  });
});

describe('suite 1', () => {
  let items: { id: number; name: string; tags: string[] }[];
  beforeEach(() => { items = Array.from({ length: 20 }, (_, i) => ({ id: i, name: 'Item ' + i, tags: ['t' + (i % 3)] })); });
  it('equality 10', () => {
    expect(items[0]).toEqual({ id: 0, name: 'Item 0', tags: ['t0'] });
    expect(items).toHaveLength(20);
  });
  it('strings 11', () => {
    expect(slug('Hello World 11!')).toBe('hello-world-11');
    expect(slug('A b')).toMatch(/^a-b$/);
  });
  it('spies 12', () => {
    const f = vi.fn((x: number) => x * 2);
    items.forEach((i) => f(i.id));
    expect(f).toHaveBeenCalledTimes(20);
    expect(f).toHaveBeenCalledWith(2);
  });
  it('async 13', async () => {
    await expect(Promise.resolve(items.filter((i) => i.tags.includes('t1')).length)).resolves.toBe(7);
    await expect(Promise.reject(new Error('no 13'))).rejects.toThrow('no 13');
  });
  it('objects 14', () => {
    expect({ list: items.slice(0, 3), total: 20 }).toMatchObject({ total: 20, list: [{ id: 0 }, { id: 1 }, { id: 2 }] });
    expect(items.map((i) => i.name)).toContain('Item 4');
  });
  it('equality 15', () => {
    expect(items[5]).toEqual({ id: 5, name: 'Item 5', tags: ['t2'] });
    expect(items).toHaveLength(20);
  });
  it('strings 16', () => {
    expect(slug('Hello World 16!')).toBe('hello-world-16');
    expect(slug('A b')).toMatch(/^a-b$/);
  });
  it('spies 17', () => {
    const f = vi.fn((x: number) => x * 2);
    items.forEach((i) => f(i.id));
    expect(f).toHaveBeenCalledTimes(20);
    expect(f).toHaveBeenCalledWith(7);
  });
  it('async 18', async () => {
    await expect(Promise.resolve(items.filter((i) => i.tags.includes('t1')).length)).resolves.toBe(7);
    await expect(Promise.reject(new Error('no 18'))).rejects.toThrow('no 18');
  });
  it('objects 19', () => {
    expect({ list: items.slice(0, 3), total: 20 }).toMatchObject({ total: 20, list: [{ id: 0 }, { id: 1 }, { id: 2 }] });
    expect(items.map((i) => i.name)).toContain('Item 9');
  });
});

describe('suite 2', () => {
  let items: { id: number; name: string; tags: string[] }[];
  beforeEach(() => { items = Array.from({ length: 20 }, (_, i) => ({ id: i, name: 'Item ' + i, tags: ['t' + (i % 3)] })); });
  it('equality 20', () => {
    expect(items[0]).toEqual({ id: 0, name: 'Item 0', tags: ['t0'] });
    expect(items).toHaveLength(20);
  });
  it('strings 21', () => {
    expect(slug('Hello World 21!')).toBe('hello-world-21');
    expect(slug('A b')).toMatch(/^a-b$/);
  });
  it('spies 22', () => {
    const f = vi.fn((x: number) => x * 2);
    items.forEach((i) => f(i.id));
    expect(f).toHaveBeenCalledTimes(20);
    expect(f).toHaveBeenCalledWith(2);
  });
  it('async 23', async () => {
    await expect(Promise.resolve(items.filter((i) => i.tags.includes('t1')).length)).resolves.toBe(7);
    await expect(Promise.reject(new Error('no 23'))).rejects.toThrow('no 23');
  });
  it('objects 24', () => {
    expect({ list: items.slice(0, 3), total: 20 }).toMatchObject({ total: 20, list: [{ id: 0 }, { id: 1 }, { id: 2 }] });
    expect(items.map((i) => i.name)).toContain('Item 4');
  });
  it('equality 25', () => {
    expect(items[5]).toEqual({ id: 5, name: 'Item 5', tags: ['t2'] });
    expect(items).toHaveLength(20);
  });
  it('strings 26', () => {
    expect(slug('Hello World 26!')).toBe('hello-world-26');
    expect(slug('A b')).toMatch(/^a-b$/);
  });
  it('spies 27', () => {
    const f = vi.fn((x: number) => x * 2);
    items.forEach((i) => f(i.id));
    expect(f).toHaveBeenCalledTimes(20);
    expect(f).toHaveBeenCalledWith(7);
  });
  it('async 28', async () => {
    await expect(Promise.resolve(items.filter((i) => i.tags.includes('t1')).length)).resolves.toBe(7);
    await expect(Promise.reject(new Error('no 28'))).rejects.toThrow('no 28');
  });
  it('objects 29', () => {
    expect({ list: items.slice(0, 3), total: 20 }).toMatchObject({ total: 20, list: [{ id: 0 }, { id: 1 }, { id: 2 }] });
    expect(items.map((i) => i.name)).toContain('Item 9');
  });
});

describe('suite 3', () => {
  let items: { id: number; name: string; tags: string[] }[];
  beforeEach(() => { items = Array.from({ length: 20 }, (_, i) => ({ id: i, name: 'Item ' + i, tags: ['t' + (i % 3)] })); });
  it('equality 30', () => {
    expect(items[0]).toEqual({ id: 0, name: 'Item 0', tags: ['t0'] });
    expect(items).toHaveLength(20);
  });
  it('strings 31', () => {
    expect(slug('Hello World 31!')).toBe('hello-world-31');
    expect(slug('A b')).toMatch(/^a-b$/);
  });
  it('spies 32', () => {
    const f = vi.fn((x: number) => x * 2);
    items.forEach((i) => f(i.id));
    expect(f).toHaveBeenCalledTimes(20);
    expect(f).toHaveBeenCalledWith(2);
  });
  it('async 33', async () => {
    await expect(Promise.resolve(items.filter((i) => i.tags.includes('t1')).length)).resolves.toBe(7);
    await expect(Promise.reject(new Error('no 33'))).rejects.toThrow('no 33');
  });
  it('objects 34', () => {
    expect({ list: items.slice(0, 3), total: 20 }).toMatchObject({ total: 20, list: [{ id: 0 }, { id: 1 }, { id: 2 }] });
    expect(items.map((i) => i.name)).toContain('Item 4');
  });
  it('equality 35', () => {
    expect(items[5]).toEqual({ id: 5, name: 'Item 5', tags: ['t2'] });
    expect(items).toHaveLength(20);
  });
  it('strings 36', () => {
    expect(slug('Hello World 36!')).toBe('hello-world-36');
    expect(slug('A b')).toMatch(/^a-b$/);
  });
  it('spies 37', () => {
    const f = vi.fn((x: number) => x * 2);
    items.forEach((i) => f(i.id));
    expect(f).toHaveBeenCalledTimes(20);
    expect(f).toHaveBeenCalledWith(7);
  });
  it('async 38', async () => {
    await expect(Promise.resolve(items.filter((i) => i.tags.includes('t1')).length)).resolves.toBe(7);
    await expect(Promise.reject(new Error('no 38'))).rejects.toThrow('no 38');
  });
  it('objects 39', () => {
    expect({ list: items.slice(0, 3), total: 20 }).toMatchObject({ total: 20, list: [{ id: 0 }, { id: 1 }, { id: 2 }] });
    expect(items.map((i) => i.name)).toContain('Item 9');
  });
});

describe('suite 4', () => {
  let items: { id: number; name: string; tags: string[] }[];
  beforeEach(() => { items = Array.from({ length: 20 }, (_, i) => ({ id: i, name: 'Item ' + i, tags: ['t' + (i % 3)] })); });
  it('equality 40', () => {
    expect(items[0]).toEqual({ id: 0, name: 'Item 0', tags: ['t0'] });
    expect(items).toHaveLength(20);
  });
  it('strings 41', () => {
    expect(slug('Hello World 41!')).toBe('hello-world-41');
    expect(slug('A b')).toMatch(/^a-b$/);
  });
  it('spies 42', () => {
    const f = vi.fn((x: number) => x * 2);
    items.forEach((i) => f(i.id));
    expect(f).toHaveBeenCalledTimes(20);
    expect(f).toHaveBeenCalledWith(2);
  });
  it('async 43', async () => {
    await expect(Promise.resolve(items.filter((i) => i.tags.includes('t1')).length)).resolves.toBe(7);
    await expect(Promise.reject(new Error('no 43'))).rejects.toThrow('no 43');
  });
  it('objects 44', () => {
    expect({ list: items.slice(0, 3), total: 20 }).toMatchObject({ total: 20, list: [{ id: 0 }, { id: 1 }, { id: 2 }] });
    expect(items.map((i) => i.name)).toContain('Item 4');
  });
  it('equality 45', () => {
    expect(items[5]).toEqual({ id: 5, name: 'Item 5', tags: ['t2'] });
    expect(items).toHaveLength(20);
  });
  it('strings 46', () => {
    expect(slug('Hello World 46!')).toBe('hello-world-46');
    expect(slug('A b')).toMatch(/^a-b$/);
  });
  it('spies 47', () => {
    const f = vi.fn((x: number) => x * 2);
    items.forEach((i) => f(i.id));
    expect(f).toHaveBeenCalledTimes(20);
    expect(f).toHaveBeenCalledWith(7);
  });
  it('async 48', async () => {
    await expect(Promise.resolve(items.filter((i) => i.tags.includes('t1')).length)).resolves.toBe(7);
    await expect(Promise.reject(new Error('no 48'))).rejects.toThrow('no 48');
  });
  it('objects 49', () => {
    expect({ list: items.slice(0, 3), total: 20 }).toMatchObject({ total: 20, list: [{ id: 0 }, { id: 1 }, { id: 2 }] });
    expect(items.map((i) => i.name)).toContain('Item 9');
  });
});

