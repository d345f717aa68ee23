import request from 'supertest';

/** A browser without JavaScript: keeps the cookies the pages set and posts their forms with their tokens. */
export class WebClient {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly http: Parameters<typeof request>[0]) {}

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private keep(response: request.Response): request.Response {
    const set = response.headers['set-cookie'] as unknown as string[] | undefined;
    for (const line of set ?? []) {
      const [pair, ...attributes] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (attributes.some((attribute) => /^\s*max-age=0$/i.test(attribute)) || value === '')
        this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<request.Response> {
    return this.keep(
      await request(this.http)
        .get(path)
        .set({ cookie: this.cookieHeader(), ...headers }),
    );
  }

  /** Posts a form as a browser would, with `fields` urlencoded (the page's `_csrf` is the caller's to add). */
  async post(path: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(fields)) {
      for (const item of Array.isArray(value) ? value : [value]) body.append(key, item);
    }
    return this.keep(
      await request(this.http)
        .post(path)
        .set({ cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', ...headers })
        .send(body.toString()),
    );
  }

  /** Sends the form of a page this client was shown: `fields` posted to `action` with the page's token. */
  submit(
    page: request.Response,
    action: string,
    fields: Record<string, string | string[]> = {},
  ): Promise<request.Response> {
    return this.post(action, { _csrf: csrfOf(page.text), ...fields });
  }

  /** Signs in through the sign-in page. */
  async signIn(email: string, password: string): Promise<request.Response> {
    return this.submit(await this.get('/dang-nhap'), '/dang-nhap', { email, password });
  }
}

/** The CSRF token in a page's first form. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF token on the page');
  return match[1];
}

/** The text of an HTML fragment without its tags, whitespace collapsed. */
export function textOf(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
}
