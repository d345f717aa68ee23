import { AuthUser, Role } from '@app/accounts';
import { RULES } from '@app/compliance';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { fieldText, TextKey } from '../i18n';
import { PageContext } from '../page-context';
import type { WebSession } from '../session';
import type { WebPages } from '../web-pages';

export interface ConsoleFrame {
  name: string;
  home: string;
  nav: { href: string; text: string }[];
  csrf: string;
  user: AuthUser;
}

type ConsoleKind = 'regulator' | 'admin' | 'agency';

/**
 * Each console's name and menu. The menu's first page is the console's home; an item with a role is shown to
 * that role only.
 */
const CONSOLES: Record<
  ConsoleKind,
  { name: TextKey; nav: (readonly [href: string, text: TextKey, only?: Role])[] }
> = {
  regulator: {
    name: 'regulatorConsole',
    nav: [
      ['/regulator', 'rDashboard'],
      ['/regulator/doanh-nghiep', 'rAgencies'],
      ['/regulator/dang-ky', 'rRegistrations'],
      ['/regulator/canh-bao', 'rFlags'],
      ['/regulator/bao-cao-co', 'rRecruiters'],
      ['/regulator/go-tin', 'rTakedowns'],
      ['/regulator/tam-dung', 'rSuspensions'],
      ['/regulator/nhat-ky', 'rAudit'],
      ['/thong-ke', 'rStats'],
    ],
  },
  admin: {
    name: 'adminConsole',
    nav: [
      ['/admin/nguoi-dung', 'adUsers'],
      ['/admin/ty-gia', 'adRates'],
      // The Bull Board (apps/web/src/console/queue-board.ts): a page of its own, without this layout.
      ['/admin/queues', 'adQueues'],
    ],
  },
  agency: {
    name: 'agencyConsole',
    nav: [
      ['/agency/don-hang', 'aOrders'],
      ['/agency/khach-hang', 'aLeads'],
      ['/agency/xuat-canh', 'aDepartures'],
      ['/agency/ket-noi', 'aWebhook'],
      ['/agency/ho-so', 'aProfile'],
      ['/agency/nhan-vien', 'aStaff', 'agency_admin'],
    ],
  },
};

function consoleOf(role: string) {
  return CONSOLES[role === 'regulator' || role === 'admin' ? role : 'agency'];
}

/** The layout's frame of a console page: its name, its menu and the sign-out form's token. */
export function consoleFrame(page: PageContext, user: AuthUser, csrf: string): ConsoleFrame {
  const { name, nav } = consoleOf(user.role);
  return {
    name: page.t(name),
    home: homeOf(user.role),
    csrf,
    user,
    nav: nav
      .filter(([, , only]) => !only || only === user.role)
      .map(([href, text]) => ({ href, text: page.t(text) })),
  };
}

/** Where a user lands after signing in: the home of the user's console. */
export function homeOf(role: string): string {
  return consoleOf(role).nav[0][0];
}

/** A local path to return to after signing in; anything else (another site, `//host`) is refused. */
export function safeNext(next: string | undefined): string | undefined {
  return next && /^\/(?![/\\])[^\s]*$/.test(next) && !next.startsWith('/dang-') ? next : undefined;
}

/** The texts of an order's violated rules, by the form field each points at. */
export function violationsByField(
  codes: readonly string[],
  lang: PageContext['lang'],
): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const code of codes) {
    const field = (RULES as Record<string, { field: string } | undefined>)[code]?.field ?? 'form';
    (fields[field] ??= []).push(fieldText(code, lang));
  }
  return fields;
}

/** What every console page starts from: its page context, the signed-in user and the console frame. */
export interface ConsoleContext {
  page: PageContext;
  user: AuthUser;
  frame: ConsoleFrame;
}

/** The console context of a request that WebGuard admitted (so its user is signed in). */
export async function consoleRequest(
  pages: WebPages,
  session: WebSession,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<ConsoleContext> {
  const page = pages.context(request, reply);
  const user = (await session.user(request))!;
  return { page, user, frame: consoleFrame(page, user, session.csrfToken(request, reply)) };
}
