// HTTP clients and JWTs against the stand-in.
import ky from 'ky';
import axios from 'axios';
import * as jose from 'jose';
import { PostgrestClient } from '@supabase/postgrest-js';

export async function kyClient(base) {
  const item = await ky.get(base + '/json/item', { searchParams: { id: 7 } }).json();
  const created = await ky.post(base + '/json/echo', { json: { name: 'x' }, headers: { 'x-test': 'ky' } }).json();
  let status;
  try {
    await ky.get(base + '/json/missing', { retry: 0 });
  } catch (e) {
    status = [e.name, e.response.status];
  }
  return { item, created, status };
}

export async function axiosClient(base) {
  const api = axios.create({ baseURL: base, adapter: 'fetch', headers: { 'x-test': 'axios' } });
  const { data, status } = await api.get('/json/item', { params: { id: 7 } });
  const posted = await api.post('/json/echo', { name: 'y' });
  let missing;
  try {
    await api.get('/json/missing');
  } catch (e) {
    missing = [e.name, e.response.status, axios.isAxiosError(e)];
  }
  return { data, status, posted: posted.data, missing };
}

export async function joseJWT(base) {
  const secret = new TextEncoder().encode('fake-hs256-secret-for-tests-only');
  const hs = await new jose.SignJWT({ role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setSubject('u1').setIssuedAt(1700000000).setExpirationTime(4102444800).sign(secret);
  const { payload } = await jose.jwtVerify(hs, secret);
  const { publicKey, privateKey } = await jose.generateKeyPair('ES256');
  const es = await new jose.SignJWT({ scope: 'read' }).setProtectedHeader({ alg: 'ES256' }).sign(privateKey);
  const es256 = (await jose.jwtVerify(es, publicKey)).payload.scope;
  const token = await (await fetch(base + '/jwks/token')).text();
  const remote = await jose.jwtVerify(token, jose.createRemoteJWKSet(new URL(base + '/jwks/keys')));
  return { hs, payload, es256, remote: [remote.protectedHeader.alg, remote.payload.sub], decoded: jose.decodeJwt(hs).role };
}

export async function postgrest(base) {
  const db = new PostgrestClient(base + '/rest/v1');
  const { data, error } = await db.from('todos').select('id,title').eq('done', false).order('id');
  return { data, error };
}
