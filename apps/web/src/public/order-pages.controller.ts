import { CONSENT_POLICY_VERSION, ConsultationIntakeService, CreateConsultationDto } from '@app/consultations';
import { ProblemException } from '@app/core';
import {
  CreateReportDto,
  JobOrderDetailDto,
  JobOrderOversightService,
  JobOrdersService,
  OrderEligibilityRow,
  REPORT_REASONS,
} from '@app/job-orders';
import { RankingService } from '@app/ranking';
import { ReferenceService } from '@app/reference';
import { Body, Get, Param, Render, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

import { FormErrors, formFields, intField, submitForm } from '../forms';
import { PageContext } from '../page-context';
import { WebSession } from '../session';
import { CurrentPage, FormPost, Gone, PagesController, PublicPage, WebPages } from '../web-pages';

/** JSON for a <script type="application/ld+json"> block: nothing in it can close the element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function jobPosting(order: JobOrderDetailDto, page: PageContext, url: string) {
  return {
    '@context': 'https://schema.org/',
    '@type': 'JobPosting',
    title: order.title,
    description: [order.description, order.requirements].filter(Boolean).join('\n\n') || order.title,
    datePosted: order.publishedAt,
    employmentType: 'FULL_TIME',
    hiringOrganization: { '@type': 'Organization', name: order.agency.name },
    jobLocation: {
      '@type': 'Place',
      address: {
        '@type': 'PostalAddress',
        addressLocality: order.workLocation,
        addressCountry: order.country,
      },
    },
    baseSalary: {
      '@type': 'MonetaryAmount',
      currency: order.salary.currency,
      value: { '@type': 'QuantitativeValue', value: order.salary.amount, unitText: 'MONTH' },
    },
    totalJobOpenings: order.openings,
    occupationalCategory: order.occupation,
    url,
    inLanguage: page.lang,
  };
}

/** What an order's form page is shown with. */
interface OrderForm {
  page: PageContext;
  order: OrderEligibilityRow;
  csrf: string;
}

@PagesController('don-hang')
export class OrderPagesController {
  constructor(
    private readonly jobOrders: JobOrdersService,
    private readonly intake: ConsultationIntakeService,
    private readonly oversight: JobOrderOversightService,
    private readonly ranking: RankingService,
    private readonly reference: ReferenceService,
    private readonly session: WebSession,
    private readonly pages: WebPages,
  ) {}

  @PublicPage(':id', 'order')
  async order(@CurrentPage() page: PageContext, @Param('id') id: string) {
    const order = await this.openOrder(id, () => this.jobOrders.findPublicById(id));
    const profile = await this.ranking.agencyProfile(order.agency.id).catch(() => undefined);
    const path = `/don-hang/${order.id}`;
    const canonical = page.canonical(path);
    const salary = page.money(order.salary.amount, order.salary.currency);
    return {
      title: order.title,
      description: `${page.flag(order.country)} ${page.country(order.country)} · ${salary}${page.t('perMonth')} · ${order.agency.name}`,
      canonical,
      alternates: true,
      ogType: 'article',
      jsonLd: jsonForScript(jobPosting(order, page, canonical)),
      order,
      rank: profile?.ranking.overall ?? null,
      agencyProvince: profile?.province?.name ?? null,
    };
  }

  @Get(':id/tu-van')
  @Render('consult')
  async consultForm(@Res({ passthrough: true }) reply: FastifyReply, @Param('id') id: string) {
    return this.consultPage(await this.orderForm(reply, id));
  }

  @FormPost(':id/tu-van')
  async consult(@Res() reply: FastifyReply, @Param('id') id: string, @Body() body: unknown) {
    const form = await this.orderForm(reply, id);
    const fields = formFields(body);
    const plain = {
      jobOrderId: form.order.id,
      fullName: fields.fullName ?? '',
      phone: fields.phone ?? '',
      province: fields.province ?? '',
      birthYear: intField(fields.birthYear) ?? NaN,
      consent: fields.consent === 'yes',
      ...(fields.gender ? { gender: fields.gender } : {}),
      ...(fields.message ? { message: fields.message } : {}),
    };
    const sent = await submitForm(form.page.lang, CreateConsultationDto, plain, (dto) =>
      this.intake.accept(dto, { ip: reply.request.ip }),
    );
    void reply.header('cache-control', 'no-store');
    if (!sent.failure) {
      return reply.view('consult-done', {
        title: form.page.t('receivedTitle'),
        order: form.order,
        accepted: sent.result,
        phone: fields.phone,
        csrf: form.csrf,
      });
    }
    // A form without consent is refused by the DTO; the page says why in its own words.
    if (!plain.consent) sent.failure.fields.consent = [form.page.t('consentRequired')];
    const data = await this.consultPage(form, fields, sent.failure);
    return reply.status(sent.failure.status ?? 400).view('consult', data);
  }

  @Get(':id/bao-cao')
  @Render('report')
  async reportForm(@Res({ passthrough: true }) reply: FastifyReply, @Param('id') id: string) {
    return this.reportPage(await this.orderForm(reply, id));
  }

  @FormPost(':id/bao-cao')
  async report(@Res() reply: FastifyReply, @Param('id') id: string, @Body() body: unknown) {
    const form = await this.orderForm(reply, id);
    const fields = formFields(body);
    const plain = {
      reason: fields.reason ?? '',
      ...(fields.detail ? { detail: fields.detail } : {}),
      ...(fields.contactPhone ? { contactPhone: fields.contactPhone } : {}),
    };
    const sent = await submitForm(form.page.lang, CreateReportDto, plain, (dto) =>
      this.oversight.report(form.order.id, dto, reply.request.ip),
    );
    void reply.header('cache-control', 'no-store');
    if (!sent.failure) {
      return reply.view('report', { title: form.page.t('reportTitle'), order: form.order, sent: true });
    }
    const data = this.reportPage(form, fields, sent.failure);
    return reply.status(sent.failure.status ?? 400).view('report', data);
  }

  /**
   * An order's form: its page, the order (one that takes no more requests is a 404 or a 410) and the form's
   * CSRF token.
   */
  private async orderForm(reply: FastifyReply, id: string): Promise<OrderForm> {
    const page = this.pages.context(reply.request, reply);
    const order = await this.eligibleOrder(id);
    return { page, order, csrf: this.session.csrfToken(reply.request, reply) };
  }

  private reportPage(
    { page, order, csrf }: OrderForm,
    values: Record<string, string> = {},
    errors: FormErrors = { fields: {} },
  ) {
    return { title: page.t('reportTitle'), order, reasons: REPORT_REASONS, values, errors, csrf };
  }

  private async consultPage(
    { page, order, csrf }: OrderForm,
    values: Record<string, string> = {},
    errors: FormErrors = { fields: {} },
  ) {
    return {
      title: `${page.t('consultTitle')} · ${order.title}`,
      order,
      values,
      errors,
      provinces: await this.reference.provinces(),
      consentVersion: CONSENT_POLICY_VERSION,
      csrf,
    };
  }

  /** The order if it is open; a page that existed and closed is a 410 saying why. */
  private async openOrder<T>(id: string, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof ProblemException && error.getStatus() === 404) await this.explainGone(id);
      throw error;
    }
  }

  private async eligibleOrder(id: string) {
    const order = await this.jobOrders.findForEligibility(id);
    if (!order || order.publicationStatus === 'draft') throw ProblemException.notFound();
    if (order.publicationStatus !== 'published' || order.agencyLicenseStatus !== 'active')
      await this.explainGone(id);
    return order;
  }

  private async explainGone(id: string): Promise<void> {
    const order = await this.jobOrders.findForEligibility(id);
    if (!order || order.publicationStatus === 'draft') return;
    if (order.publicationStatus === 'taken_down') throw new Gone('goneTakenDown', order.countryCode);
    if (order.publicationStatus !== 'published') throw new Gone('goneClosed', order.countryCode);
    if (order.agencyLicenseStatus !== 'active') throw new Gone('goneAgency', order.countryCode);
  }
}
