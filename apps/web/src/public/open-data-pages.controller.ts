import { OpenDataService } from '@app/open-data';

import { PageContext } from '../page-context';
import { CurrentPage, PagesController, PublicPage } from '../web-pages';

/** Bytes as people read them: 1.2 MB, 830 kB. */
function size(bytes: number, num: (value: number) => string): string {
  if (bytes >= 1e6) return `${num(Math.round(bytes / 1e5) / 10)} MB`;
  return `${num(Math.max(1, Math.round(bytes / 1e3)))} kB`;
}

/** The open datasets for people: what each holds, where to download it, its dictionary and its licence. */
@PagesController()
export class OpenDataPagesController {
  constructor(private readonly openData: OpenDataService) {}

  @PublicPage('du-lieu-mo', 'open-data')
  async catalogue(@CurrentPage() page: PageContext) {
    const catalogue = await this.openData.catalogue();
    const lang = page.lang;
    return {
      title: page.t('openDataTitle'),
      description: page.t('openDataIntro'),
      canonical: page.canonical('/du-lieu-mo'),
      catalogueHref: page.absolute('/api/v1/open-data'),
      license: catalogue.license,
      attribution: catalogue.attribution[lang],
      datasets: catalogue.datasets.map((dataset) => ({
        name: dataset.name,
        title: dataset.title[lang],
        description: dataset.description[lang],
        updatedAt: dataset.updatedAt ? page.dateTime(dataset.updatedAt) : null,
        formats: dataset.formats.map((format) => ({ label: format.format.toUpperCase(), href: format.href })),
        snapshots: dataset.snapshots.slice(0, 7).map((snapshot) => ({
          date: snapshot.date,
          rows: page.num(snapshot.rows),
          files: snapshot.files.map((file) => ({
            label: file.format.toUpperCase(),
            href: file.href,
            size: size(file.bytes, page.num),
          })),
        })),
        fields: dataset.fields.map((field) => ({
          name: field.name,
          type: page.td(`fieldKind_${field.type}`),
          description: field.description[lang],
          nullable: field.nullable,
        })),
      })),
    };
  }
}
