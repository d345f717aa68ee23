import { AuthUser } from '@app/accounts';
import { RULES } from '@app/compliance';

import { fieldText } from '../i18n';
import type { FastifyReply, FastifyRequest } from 'fastify';

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

/** The layout's frame of a console page: its name, its menu and the sign-out form's token. */
export function consoleFrame(page: PageContext, user: AuthUser, csrf: string): ConsoleFrame {
  if (user.role === 'regulator') {
    return {
      name: page.t('regulatorConsole'),
      home: '/regulator',
      csrf,
      user,
      nav: [
        { href: '/regulator', text: page.t('rDashboard') },
        { href: '/regulator/doanh-nghiep', text: page.t('rAgencies') },
        { href: '/regulator/dang-ky', text: page.t('rRegistrations') },
        { href: '/regulator/canh-bao', text: page.t('rFlags') },
        { href: '/regulator/go-tin', text: page.t('rTakedowns') },
        { href: '/regulator/tam-dung', text: page.t('rSuspensions') },
        { href: '/regulator/nhat-ky', text: page.t('rAudit') },
        { href: '/thong-ke', text: page.t('rStats') },
      ],
    };
  }
  if (user.role === 'admin') {
    return {
      name: page.t('adminConsole'),
      home: '/admin/nguoi-dung',
      csrf,
      user,
      nav: [
        { href: '/admin/nguoi-dung', text: page.t('adUsers') },
        { href: '/admin/ty-gia', text: page.t('adRates') },
      ],
    };
  }
  return {
    name: page.t('agencyConsole'),
    home: '/agency/don-hang',
    csrf,
    user,
    nav: [
      { href: '/agency/don-hang', text: page.t('aOrders') },
      { href: '/agency/khach-hang', text: page.t('aLeads') },
      { href: '/agency/xuat-canh', text: page.t('aDepartures') },
      { href: '/agency/ket-noi', text: page.t('aWebhook') },
      ...(user.role === 'agency_admin' ? [{ href: '/agency/nhan-vien', text: page.t('aStaff') }] : []),
    ],
  };
}

/** Where a user lands after signing in. */
export function homeOf(role: string): string {
  return role === 'regulator' ? '/regulator' : role === 'admin' ? '/admin/nguoi-dung' : '/agency/don-hang';
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
export async function consoleRequest(
  pages: WebPages,
  session: WebSession,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<{ page: PageContext; user: AuthUser; frame: ConsoleFrame }> {
  const page = pages.context(request, reply);
  const user = (await session.user(request))!;
  return { page, user, frame: consoleFrame(page, user, session.csrfToken(request, reply)) };
}
