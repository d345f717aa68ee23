import type { Tx } from '@app/core';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { Role, User } from './user.entity';

@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findByEmail(email: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOneBy({ email: email.toLowerCase() });
  }

  /** One user; inside a transaction the row is locked until it ends. */
  findById(id: string, tx?: Tx): Promise<User | null> {
    return (tx ?? this.dataSource.manager).getRepository(User).findOne({
      where: { id },
      ...(tx ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  /** Inserts unless the email is taken; returns the new user or null. */
  async create(
    user: { email: string; passwordHash: string; role: Role; agencyId: string | null },
    tx?: Tx,
  ): Promise<User | null> {
    const manager = tx ?? this.dataSource.manager;
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(User)
      .values({ ...user, email: user.email.toLowerCase() })
      .orIgnore()
      .returning('id')
      .execute();
    const [row] = result.raw as { id: string }[];
    return row ? manager.getRepository(User).findOneBy({ id: row.id }) : null;
  }

  list(filter: {
    role?: Role;
    agencyId?: string;
    after?: { email: string; id: string };
    limit: number;
  }): Promise<User[]> {
    const query = this.dataSource.getRepository(User).createQueryBuilder('u');
    if (filter.role) query.andWhere('u.role = :role', { role: filter.role });
    if (filter.agencyId) query.andWhere('u.agency_id = :agencyId', { agencyId: filter.agencyId });
    if (filter.after) query.andWhere('(u.email, u.id) > (:email, :id::uuid)', filter.after);
    return query.orderBy('u.email', 'ASC').addOrderBy('u.id', 'ASC').limit(filter.limit).getMany();
  }

  async update(tx: Tx, id: string, change: { role?: Role; disabled?: boolean }): Promise<User> {
    await tx.getRepository(User).update({ id }, change);
    return (await this.findById(id, tx))!;
  }
}
