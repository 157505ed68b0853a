// Issues of one GitHub repository, through GitHub's REST API, written for
// the plugin SDK (@hivemind-os/plugin-sdk, which host provides): tools to
// list, create and inspect issues and to verify webhook signatures, and a
// connector loop that syncs issues and notifications into the plugin's inbox
// (ctx.emitMessages; `host messages github-issues` shows them), keeping its
// cursor in ctx.store. It shows the web platform a real plugin uses: URL and
// URLSearchParams, Headers, AbortSignal.timeout/any, Link-header paging,
// conditional requests with an ETag, and HMAC-SHA256 through crypto.subtle.
// package.json declares its permissions: it may only reach api.github.com.
import { definePlugin, z, type PluginContext, type IncomingMessage } from '@hivemind-os/plugin-sdk';

const API = 'https://api.github.com';

export default definePlugin({
  name: 'GitHub Issues',
  version: '1.0.0',
  description: 'List, create and watch the issues of one repository',
  configSchema: z.object({
    token: z.string().secret().label('Personal access token').section('Authentication'),
    owner: z.string().min(1).label('Owner').describe('User or organisation, e.g. octocat').section('Repository'),
    repo: z.string().min(1).label('Repository').describe('Repository name, e.g. hello-world').section('Repository'),
    webhookSecret: z.string().secret().optional().label('Webhook secret').section('Webhooks'),
    pollInterval: z.number().int().min(10).default(300).label('Poll interval (seconds)').section('Sync'),
  }),
  auth: {
    type: 'token',
    fields: [
      {
        key: 'token',
        label: 'Personal access token',
        helpUrl: 'https://github.com/settings/personal-access-tokens/new',
        helpText: 'A fine-grained token with read and write access to Issues of the repository',
      },
    ],
  },

  onActivate: async (ctx) => {
    const me = (await api(ctx, '/user')) as { login: string };
    ctx.logger.info(`signed in as ${me.login}; watching ${ctx.config.owner}/${ctx.config.repo}`);
  },

  tools: [
    {
      name: 'list_issues',
      description: 'Lists issues of the repository, following pagination',
      parameters: z.object({
        state: z.enum(['open', 'closed', 'all']).default('open'),
        labels: z.array(z.string()).optional(),
        limit: z.number().int().min(1).max(500).default(50),
      }),
      annotations: { readOnly: true },
      execute: async ({ state, labels, limit }, ctx) => {
        const query = new URLSearchParams({ state, per_page: String(Math.min(limit, 100)) });
        if (labels && labels.length > 0) query.set('labels', labels.join(','));
        const issues: { number: number; title: string; state: string; labels: string[] }[] = [];
        for (const it of await listIssues(ctx, query, limit)) {
          issues.push({ number: it.number, title: it.title, state: it.state, labels: (it.labels ?? []).map((l: any) => l.name) });
        }
        return { content: issues.slice(0, limit) };
      },
    },
    {
      name: 'create_issue',
      description: 'Opens an issue',
      parameters: z.object({
        title: z.string().min(1).max(256),
        body: z.string().optional(),
        labels: z.array(z.string()).optional(),
      }),
      annotations: { sideEffects: true, approval: 'suggest' },
      execute: async (params, ctx) => {
        const created = (await api(ctx, `/repos/${enc(ctx.config.owner)}/${enc(ctx.config.repo)}/issues`, {
          method: 'POST',
          body: JSON.stringify(params),
        })) as { number: number; html_url: string };
        return { content: { number: created.number, url: created.html_url } };
      },
    },
    {
      name: 'verify_webhook',
      description: "Checks a webhook delivery's X-Hub-Signature-256 against the webhook secret",
      parameters: z.object({ payload: z.string(), signature: z.string().regex(/^sha256=[0-9a-f]{64}$/) }),
      annotations: { readOnly: true },
      execute: async ({ payload, signature }, ctx) => {
        const secret = ctx.config.webhookSecret;
        if (!secret) {
          return { content: 'No webhook secret configured: run `host run` with --set webhookSecret=... (or HOST_CONFIG_WEBHOOKSECRET)', isError: true };
        }
        const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
        const mac = hexToBytes(signature.slice('sha256='.length));
        const valid = await crypto.subtle.verify('HMAC', key, mac, new TextEncoder().encode(payload));
        return { content: { valid } };
      },
    },
  ],

  // The connector: every pollInterval seconds, the issues updated since the
  // cursor become messages (an issue's source names its update, so an
  // unchanged issue is never emitted twice, also across restarts), and new
  // notifications become messages and desktop notifications. ctx.sleep
  // ends at once when the plugin stops.
  loop: async (ctx) => {
    await ctx.updateStatus({ state: 'connecting' });
    while (!ctx.signal.aborted) {
      try {
        await ctx.updateStatus({ state: 'syncing' });
        const issues = await syncIssues(ctx);
        const notifications = await syncNotifications(ctx);
        await ctx.updateStatus({ state: 'connected', message: `synced ${issues} issue(s), ${notifications} new notification(s)` });
      } catch (err) {
        if (ctx.signal.aborted) break;
        ctx.logger.error('sync failed', { error: String(err) });
        await ctx.updateStatus({ state: 'error', message: String(err) });
      }
      await ctx.sleep(ctx.config.pollInterval * 1000);
    }
  },
});

/** The issues (not pull requests) of a listing, following the Link header. */
async function listIssues(ctx: PluginContext, query: URLSearchParams, limit = Infinity): Promise<any[]> {
  let next: string | null = `/repos/${enc(ctx.config.owner)}/${enc(ctx.config.repo)}/issues?${query}`;
  const out: any[] = [];
  while (next && out.length < limit) {
    const res = await request(ctx, next);
    for (const it of (await res.json()) as any[]) {
      if (!it.pull_request) out.push(it); // GitHub lists pull requests as issues too
    }
    next = nextLink(res.headers.get('link'));
  }
  return out;
}

/** Emits the issues updated since the stored cursor; returns how many. */
async function syncIssues(ctx: PluginContext): Promise<number> {
  const since = (await ctx.store.get<string>('issues_since')) ?? '1970-01-01T00:00:00Z';
  ctx.logger.info('syncing issues', { since });
  const query = new URLSearchParams({ state: 'all', sort: 'updated', direction: 'asc', since, per_page: '100' });
  const issues = await listIssues(ctx, query);
  const channel = `${ctx.config.owner}/${ctx.config.repo}`;
  const messages: IncomingMessage[] = issues.map((it) => ({
    source: `github:issue:${channel}#${it.number}:${it.updated_at}`,
    channel,
    content: `[#${it.number}] ${it.title} (${it.state})`,
    sender: { id: it.user?.login ?? 'unknown', name: it.user?.login ?? 'unknown' },
    metadata: { type: 'github_issue', number: it.number, state: it.state, labels: (it.labels ?? []).map((l: any) => l.name) },
    threadId: `${channel}#${it.number}`,
    timestamp: it.updated_at,
  }));
  await ctx.emitMessages(messages);
  // GitHub's since= is inclusive: the newest issue comes again next time,
  // and the inbox drops it as a duplicate.
  const newest = issues.reduce((max: string, it) => (it.updated_at > max ? it.updated_at : max), since);
  await ctx.store.set('issues_since', newest);
  return messages.length;
}

/** Emits notifications not seen before (a 304 when nothing changed). */
async function syncNotifications(ctx: PluginContext): Promise<number> {
  // Conditional request: GitHub answers 304 (and does not count it against
  // the rate limit) when nothing changed since the ETag.
  const etag = await ctx.store.get<string>('notifications_etag');
  const headers = new Headers({ Accept: 'application/vnd.github+json' });
  if (etag) headers.set('If-None-Match', etag);
  const res = await request(ctx, '/notifications?' + new URLSearchParams({ all: 'false' }), { headers }, [304]);
  if (res.status === 304) {
    ctx.logger.debug('no new notifications');
    return 0;
  }
  const list = (await res.json()) as { id: string; subject: { title: string } }[];
  await ctx.emitMessages(list.map((n) => ({ source: `github:notification:${n.id}`, channel: 'notifications', content: n.subject.title })));
  const seen = new Set((await ctx.store.get<string[]>('seen_notifications')) ?? []);
  const fresh = list.filter((n) => !seen.has(n.id));
  for (const n of fresh) await ctx.notify({ title: 'GitHub', body: n.subject.title });
  await ctx.store.set('seen_notifications', [...seen, ...fresh.map((n) => n.id)].slice(-500));
  const newTag = res.headers.get('etag');
  if (newTag) await ctx.store.set('notifications_etag', newTag);
  return fresh.length;
}

function enc(s: string): string {
  return encodeURIComponent(s);
}

/** One API request with the token, a 15 s timeout and the plugin's lifetime. */
async function request(ctx: PluginContext, path: string, init: RequestInit = {}, okStatus: number[] = []): Promise<Response> {
  const url = new URL(path, API);
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${ctx.config.token}`);
  if (!headers.has('Accept')) headers.set('Accept', 'application/vnd.github+json');
  headers.set('X-GitHub-Api-Version', '2022-11-28');
  if (init.body) headers.set('Content-Type', 'application/json');
  const res = await ctx.http.fetch(url.href, { ...init, headers, signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(15000)]) });
  if (!res.ok && !okStatus.includes(res.status)) {
    let detail = '';
    try {
      detail = ((await res.json()) as { message?: string }).message ?? '';
    } catch {}
    if (res.status === 401) throw new Error('GitHub refused the token (401): create a new one and run `host auth login`');
    throw new Error(`GitHub answered ${res.status} ${res.statusText} for ${url.pathname}${detail ? ': ' + detail : ''}`);
  }
  return res;
}

async function api(ctx: PluginContext, path: string, init: RequestInit = {}): Promise<unknown> {
  return (await request(ctx, path, init)).json();
}

/** The rel="next" URL of a Link header, as a path. */
function nextLink(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>;\s*rel="next"/.exec(part);
    if (m) {
      const u = new URL(m[1]);
      return u.pathname + u.search;
    }
  }
  return null;
}

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
