// Service SDKs, each used as its README shows, against the test's
// stand-in server at `base` (bindings/plugin/corpus_test.go).
import { Octokit } from '@octokit/rest';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import Stripe from 'stripe';
import { WebClient } from '@slack/web-api';
import { LinearClient } from '@linear/sdk';
import { Client as Notion } from '@notionhq/client';
// googleapis' Drive client from its own per-API entry (the code
// @googleapis/drive publishes): the package's main entry loads all ~300
// APIs, a 58 MB bundle that takes host tens of seconds and more than its
// 512 MiB default memory cap to start (host run warns about such a bundle).
import { drive as googleDrive, auth as googleAuth } from 'googleapis/build/src/apis/drive/index.js';

export async function octokit(base) {
  const gh = new Octokit({ baseUrl: base + '/github', auth: 'fake-github-token' });
  const { data: repo } = await gh.rest.repos.get({ owner: 'octo', repo: 'demo' });
  const titles = [];
  for await (const page of gh.paginate.iterator(gh.rest.issues.listForRepo, { owner: 'octo', repo: 'demo', per_page: 2 })) {
    for (const issue of page.data) titles.push(issue.title);
  }
  const all = await gh.paginate(gh.rest.issues.listForRepo, { owner: 'octo', repo: 'demo', per_page: 2 });
  let notFound;
  try {
    await gh.rest.repos.get({ owner: 'octo', repo: 'missing' });
  } catch (e) {
    notFound = [e.status, e.name];
  }
  return { repo: repo.full_name, stars: repo.stargazers_count, titles, count: all.length, notFound };
}

export async function openai(base) {
  const client = new OpenAI({ apiKey: 'sk-fake-openai', baseURL: base + '/openai/v1' });
  const done = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'Say hi' }] });
  const stream = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'Count' }], stream: true });
  const parts = [];
  for await (const chunk of stream) parts.push(chunk.choices[0]?.delta?.content ?? '');
  return { reply: done.choices[0].message.content, usage: done.usage.total_tokens, streamed: parts.join('|') };
}

export async function anthropic(base) {
  const client = new Anthropic({ apiKey: 'fake-anthropic-key', baseURL: base + '/anthropic' });
  const msg = await client.messages.create({ model: 'claude-test', max_tokens: 64, messages: [{ role: 'user', content: 'Hello' }] });
  const stream = await client.messages.create({ model: 'claude-test', max_tokens: 64, messages: [{ role: 'user', content: 'Stream' }], stream: true });
  const events = [];
  let text = '';
  for await (const ev of stream) {
    events.push(ev.type);
    if (ev.type === 'content_block_delta') text += ev.delta.text;
  }
  return { text: msg.content[0].text, stop: msg.stop_reason, events, streamed: text };
}

export async function stripe(base) {
  const u = new URL(base);
  const client = new Stripe('sk_test_fake', { host: u.hostname, port: Number(u.port), protocol: 'http', httpClient: Stripe.createFetchHttpClient(), maxNetworkRetries: 0 });
  const customer = await client.customers.retrieve('cus_1');
  const emails = [];
  for await (const c of client.customers.list({ limit: 2 })) emails.push(c.email);
  let declined;
  try {
    await client.charges.create({ amount: 100, currency: 'usd', source: 'tok_declined' });
  } catch (e) {
    declined = [e.type, e.code, e.statusCode];
  }
  return { email: customer.email, emails, declined };
}

export async function slack(base) {
  const web = new WebClient('xoxb-fake-slack', { slackApiUrl: base + '/slack/api/', retryConfig: { retries: 0 } });
  const res = await web.chat.postMessage({ channel: 'C123', text: 'Hello from a plugin' });
  let failed;
  try {
    await web.conversations.info({ channel: 'nope' });
  } catch (e) {
    failed = [e.code, e.data && e.data.error];
  }
  return { ok: res.ok, ts: res.ts, channel: res.channel, failed };
}

export async function linear(base) {
  const client = new LinearClient({ apiKey: 'lin_api_fake', apiUrl: base + '/linear/graphql' });
  const me = await client.viewer;
  const issues = await me.assignedIssues();
  return { name: me.name, email: me.email, issues: issues.nodes.map((i) => i.title) };
}

export async function notion(base) {
  const client = new Notion({ auth: 'secret_fake_notion', baseUrl: base + '/notion' });
  const me = await client.users.me({});
  const found = await client.search({ query: 'Plans' });
  return { me: me.name, type: me.type, results: found.results.map((r) => r.id) };
}

export async function googleapis(base) {
  const oauth2 = new googleAuth.OAuth2('fake-client-id.apps.googleusercontent.com', 'fake-client-secret');
  oauth2.setCredentials({ access_token: 'fake-google-access-token' });
  const drive = googleDrive({ version: 'v3', auth: oauth2, rootUrl: base + '/' });
  const names = [];
  let pageToken;
  let pages = 0;
  do {
    const res = await drive.files.list({ pageSize: 2, pageToken, q: 'trashed = false', fields: 'nextPageToken, files(id, name, mimeType)' });
    pages++;
    for (const f of res.data.files) names.push(f.name + ' (' + f.mimeType + ')');
    pageToken = res.data.nextPageToken;
  } while (pageToken);
  let missing;
  try {
    await drive.files.get({ fileId: 'missing' });
  } catch (e) {
    missing = [e.name, e.status, e.message];
  }
  const anonymous = googleDrive({ version: 'v3', rootUrl: base + '/' });
  let denied;
  try {
    await anonymous.files.list({ pageSize: 1 });
  } catch (e) {
    denied = [e.status, e.message];
  }
  return { names, pages, missing, denied };
}
