import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';

import type { CountryRegion } from './reference.data';

@Entity('provinces')
export class Province {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  code!: string;

  @Column({ type: 'varchar', length: 80 })
  nameVi!: string;

  @Column({ type: 'varchar', length: 80 })
  nameEn!: string;
}

/** Every spelling people use for a province (new names, the 63 old ones, common variants), folded. */
@Entity('province_aliases')
export class ProvinceAlias {
  @PrimaryColumn({ type: 'varchar', length: 80 })
  key!: string;

  @Index()
  @Column({ type: 'varchar', length: 40 })
  provinceCode!: string;

  @ManyToOne(() => Province, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'province_code' })
  province?: Province;
}

@Entity('countries')
export class Country {
  @PrimaryColumn({ type: 'char', length: 2 })
  code!: string;

  @Column({ type: 'varchar', length: 80 })
  nameVi!: string;

  @Column({ type: 'varchar', length: 80 })
  nameEn!: string;

  @Column({ type: 'varchar', length: 20 })
  region!: CountryRegion;
}

@Entity('industries')
export class Industry {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  code!: string;

  @Column({ type: 'varchar', length: 120 })
  nameVi!: string;

  @Column({ type: 'varchar', length: 120 })
  nameEn!: string;
}

@Entity('programs')
export class Program {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  code!: string;

  @Column({ type: 'varchar', length: 120 })
  nameVi!: string;

  @Column({ type: 'varchar', length: 120 })
  nameEn!: string;

  @Column({ type: 'char', length: 2, nullable: true })
  countryCode!: string | null;

  @ManyToOne(() => Country)
  @JoinColumn({ name: 'country_code' })
  country?: Country;
}

/** VND per unit of a currency, used for salary estimates and cap conversions. */
@Entity('exchange_rates')
export class ExchangeRate {
  @PrimaryColumn({ type: 'char', length: 3 })
  currency!: string;

  @Column({ type: 'numeric', precision: 14, scale: 4 })
  vndPerUnit!: string;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
