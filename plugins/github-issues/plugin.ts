// Issues of one GitHub repository, through GitHub's REST API: tools to list,
// create and inspect issues and to verify webhook signatures, and a loop that
// polls notifications. It shows the web platform a real plugin uses: URL and
// URLSearchParams, Headers, AbortSignal.timeout/any, Link-header paging,
// conditional requests with ETag kept in ctx.store, and HMAC-SHA256 through
// crypto.subtle.
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
    ctx.log.info(`signed in as ${me.login}; watching ${ctx.config.owner}/${ctx.config.repo}`);
  },

  tools: {
    list_issues: {
      description: 'Lists issues of the repository, following pagination',
      input: z.object({
        state: z.enum(['open', 'closed', 'all']).default('open'),
        labels: z.array(z.string()).optional(),
        limit: z.number().int().min(1).max(500).default(50),
      }),
      run: async ({ state, labels, limit }, ctx) => {
        const query = new URLSearchParams({ state, per_page: String(Math.min(limit, 100)) });
        if (labels && labels.length > 0) query.set('labels', labels.join(','));
        let next: string | null = `/repos/${enc(ctx.config.owner)}/${enc(ctx.config.repo)}/issues?${query}`;
        const issues: { number: number; title: string; state: string; labels: string[] }[] = [];
        while (next && issues.length < limit) {
          const res = await request(ctx, next);
          for (const it of (await res.json()) as any[]) {
            if (it.pull_request) continue; // GitHub lists pull requests as issues too
            issues.push({ number: it.number, title: it.title, state: it.state, labels: (it.labels ?? []).map((l: any) => l.name) });
          }
          next = nextLink(res.headers.get('link'));
        }
        return issues.slice(0, limit);
      },
    },
    create_issue: {
      description: 'Opens an issue',
      input: z.object({
        title: z.string().min(1).max(256),
        body: z.string().optional(),
        labels: z.array(z.string()).optional(),
      }),
      run: async (input, ctx) => {
        const created = (await api(ctx, `/repos/${enc(ctx.config.owner)}/${enc(ctx.config.repo)}/issues`, {
          method: 'POST',
          body: JSON.stringify(input),
        })) as { number: number; html_url: string };
        return { number: created.number, url: created.html_url };
      },
    },
    verify_webhook: {
      description: "Checks a webhook delivery's X-Hub-Signature-256 against the webhook secret",
      input: z.object({ payload: z.string(), signature: z.string().regex(/^sha256=[0-9a-f]{64}$/) }),
      run: async ({ payload, signature }, ctx) => {
        const secret = ctx.config.webhookSecret;
        if (!secret) throw new Error('No webhook secret configured: run `host run` with --set webhookSecret=... (or HOST_CONFIG_WEBHOOKSECRET)');
        const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
        const mac = hexToBytes(signature.slice('sha256='.length));
        const valid = await crypto.subtle.verify('HMAC', key, mac, new TextEncoder().encode(payload));
        return { valid };
      },
    },
  },

  loop: {
    every: '5m',
    run: async (ctx) => {
      // Conditional request: GitHub answers 304 (and does not count it
      // against the rate limit) when nothing changed since the ETag.
      const etag = await ctx.store.get<string>('notifications_etag');
      const headers = new Headers({ Accept: 'application/vnd.github+json' });
      if (etag) headers.set('If-None-Match', etag);
      const res = await request(ctx, '/notifications?' + new URLSearchParams({ all: 'false' }), { headers }, [304]);
      if (res.status === 304) {
        ctx.log.debug('no new notifications');
        return;
      }
      const list = (await res.json()) as { id: string; subject: { title: string } }[];
      const seen = new Set((await ctx.store.get<string[]>('seen_notifications')) ?? []);
      const fresh = list.filter((n) => !seen.has(n.id));
      for (const n of fresh) ctx.log.info(`notification: ${n.subject.title}`);
      ctx.log.info(`${fresh.length} new notification(s)`);
      await ctx.store.set('seen_notifications', [...seen, ...fresh.map((n) => n.id)].slice(-500));
      const newTag = res.headers.get('etag');
      if (newTag) await ctx.store.set('notifications_etag', newTag);
    },
  },
});

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
  const res = await fetch(url, { ...init, headers, signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(15000)]) });
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
