import { AgenciesService } from '@app/agencies';
import {
  Actor,
  APP_CONFIG,
  AppConfig,
  AuditLog,
  decodeKeyset,
  isUuid,
  Page,
  PersonalDataCipher,
  ProblemException,
  RateLimiter,
  toPage,
} from '@app/core';
import { ReferenceService } from '@app/reference';
import { HttpStatus, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

import {
  AdminUserDto,
  AgencySignupDto,
  AgencySignupResponseDto,
  CreateUserDto,
  LoginResponseDto,
  UpdateUserDto,
  UserDto,
  UserQueryDto,
} from './dto/auth.dto';
import { ACCOUNT_SETTINGS, AccountSettings } from './accounts.settings';
import { hashPassword, verifyPassword } from './passwords';
import { AGENCY_ROLES, Role, User } from './user.entity';
import { UsersRepository } from './users.repository';

export interface AuthUser {
  id: string;
  role: Role;
  agencyId: string | null;
}

export interface JwtClaims {
  sub: string;
  role: Role;
  agencyId?: string;
}

const LOGIN_WINDOW_SECONDS = 15 * 60;
const LOGIN_FIRST_DELAY_SECONDS = 1;
const LOGIN_FAILURE_MEMORY_SECONDS = 24 * 3600;
const SIGNUPS_PER_IP_PER_HOUR = 10;
// Verified against when the email is unknown, so a miss costs the same time as a wrong password.
const DUMMY_HASH = hashPassword('not a real password, only for timing');

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly jwt: JwtService,
    private readonly limiter: RateLimiter,
    private readonly cipher: PersonalDataCipher,
    private readonly agencies: AgenciesService,
    private readonly reference: ReferenceService,
    private readonly audit: AuditLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ACCOUNT_SETTINGS.token) private readonly settings: AccountSettings,
  ) {}

  /** Creates the bootstrap admin from configuration once, if absent. */
  async onApplicationBootstrap(): Promise<void> {
    const admin = this.settings.bootstrapAdmin;
    if (!admin || (await this.users.findByEmail(admin.email))) return;
    await this.users.create({
      email: admin.email,
      passwordHash: await hashPassword(admin.password),
      role: 'admin',
      agencyId: null,
    });
    this.logger.log('bootstrap admin created');
  }

  /**
   * Every attempt is reserved in Redis before the password is verified, so concurrent guesses cannot pass
   * the limits together. An account's failures count per address: after a few, each further attempt from
   * that address waits twice as long as the last, while the owner signing in from another address is not
   * slowed by strangers. An address also has a limit of failures over all accounts.
   */
  async login(email: string, password: string, ip: string): Promise<LoginResponseDto> {
    const { loginLimits } = this.settings;
    const account = this.cipher.lookupHash(email.toLowerCase());
    const address = this.cipher.lookupHash(`ip:${ip}`);
    const attempt = await this.limiter.reserve(
      [{ key: `login:ip:${address}`, limit: loginLimits.failuresPerIpPer15Minutes }],
      LOGIN_WINDOW_SECONDS,
      {
        key: `login:account-ip:${this.cipher.lookupHash(`${account}:${address}`)}`,
        freeAttempts: loginLimits.failuresBeforeDelay,
        firstDelaySeconds: LOGIN_FIRST_DELAY_SECONDS,
        longestDelaySeconds: loginLimits.longestDelaySeconds,
        memorySeconds: LOGIN_FAILURE_MEMORY_SECONDS,
      },
    );
    const user = await this.users.findByEmail(email);
    const valid = await verifyPassword(user?.passwordHash ?? (await DUMMY_HASH), password);
    if (!user || !valid || user.disabled) {
      throw new ProblemException(HttpStatus.UNAUTHORIZED, 'INVALID_CREDENTIALS');
    }
    await attempt.release();
    const claims: JwtClaims = {
      sub: user.id,
      role: user.role,
      ...(user.agencyId ? { agencyId: user.agencyId } : {}),
    };
    return {
      accessToken: await this.jwt.signAsync(claims),
      expiresIn: this.config.jwt.ttlSeconds,
      user: toUserDto(user),
    };
  }

  /** Re-reads the user on every request: a disabled account or a changed role takes effect at once. */
  async authenticate(claims: JwtClaims): Promise<AuthUser | undefined> {
    const user = await this.users.findById(claims.sub);
    if (!user || user.disabled) return undefined;
    return { id: user.id, role: user.role, agencyId: user.agencyId };
  }

  /** The user a signed access token (the web console's session cookie) stands for, if still valid. */
  async authenticateToken(token: string): Promise<AuthUser | undefined> {
    let claims: JwtClaims;
    try {
      claims = await this.jwt.verifyAsync<JwtClaims>(token);
    } catch {
      return undefined;
    }
    return this.authenticate(claims);
  }

  async me(id: string): Promise<UserDto> {
    const user = await this.users.findById(id);
    if (!user) throw new ProblemException(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED');
    return toUserDto(user);
  }

  async createUser(admin: Actor, dto: CreateUserDto): Promise<UserDto> {
    const isAgencyRole = AGENCY_ROLES.includes(dto.role);
    if (isAgencyRole !== Boolean(dto.agencyId)) {
      throw ProblemException.validation([
        { field: 'agencyId', constraint: isAgencyRole ? 'isDefined' : 'whitelistValidation' },
      ]);
    }
    if (dto.agencyId && !(await this.agencies.exists(dto.agencyId))) {
      throw ProblemException.validation([{ field: 'agencyId', constraint: 'isAgency' }]);
    }
    const passwordHash = await hashPassword(dto.password);
    const user = await this.audit.transaction(async (tx) => {
      const created = await this.users.create(
        { email: dto.email, passwordHash, role: dto.role, agencyId: dto.agencyId ?? null },
        tx,
      );
      if (!created) throw new ProblemException(HttpStatus.CONFLICT, 'EMAIL_TAKEN');
      await this.audit.append(tx, {
        actor: admin,
        action: 'user.create',
        entityType: 'user',
        entityId: created.id,
        after: auditView(created),
      });
      return created;
    });
    return toUserDto(user);
  }

  /**
   * An agency registers itself: the agency starts `pending_verification` (a regulator verifies the licence)
   * with its first agency_admin, both in one transaction.
   */
  async signupAgency(dto: AgencySignupDto, ip: string): Promise<AgencySignupResponseDto> {
    const address = this.cipher.lookupHash(`ip:${ip}`);
    await this.limiter.consume([{ key: `signup:ip:${address}`, limit: SIGNUPS_PER_IP_PER_HOUR }], 3600);
    // EMAIL_TAKEN tells whether an address has an account (docs/decisions.md): only a few such answers per
    // client address and per hour in all, held before the answer is known, so that once they are spent
    // every sign-up waits alike and a 429 tells nothing either. A sign-up ending otherwise gives its back.
    const { emailTakenPerIpPerHour, emailTakenPerHour } = this.settings.signupLimits;
    const disclosure = await this.limiter.reserve(
      [
        { key: `signup:email-taken:ip:${address}`, limit: emailTakenPerIpPerHour },
        { key: 'signup:email-taken', limit: emailTakenPerHour },
      ],
      3600,
      // No delay of its own: the window limits above decide.
      {
        key: `signup:email-taken:backoff:${address}`,
        freeAttempts: emailTakenPerIpPerHour + 1,
        firstDelaySeconds: 1,
        longestDelaySeconds: 1,
        memorySeconds: 3600,
      },
    );
    try {
      const created = await this.createAgencyAndAdmin(dto);
      await disclosure.release();
      return created;
    } catch (error) {
      if (!(error instanceof ProblemException && error.code === 'EMAIL_TAKEN')) await disclosure.release();
      throw error;
    }
  }

  private async createAgencyAndAdmin(dto: AgencySignupDto): Promise<AgencySignupResponseDto> {
    let provinceCode: string | null = null;
    if (dto.province) {
      provinceCode = (await this.reference.resolveProvince(dto.province))?.code ?? null;
      if (!provinceCode) throw ProblemException.validation([{ field: 'province', constraint: 'isProvince' }]);
    }
    const passwordHash = await hashPassword(dto.password);
    return this.audit.transaction(async (tx) => {
      const agency = {
        name: dto.agencyName.trim().replace(/\s+/g, ' '),
        licenseNumber: dto.licenseNumber.trim(),
        enterpriseCode: dto.enterpriseCode.replace('-', ''),
        provinceCode,
        address: dto.address?.trim() || null,
        hotline: dto.hotline?.trim() || null,
        website: dto.website ?? null,
      };
      const agencyId = await this.agencies.createPending(tx, agency);
      if (!agencyId) throw new ProblemException(HttpStatus.CONFLICT, 'LICENSE_TAKEN');
      const user = await this.users.create(
        { email: dto.email, passwordHash, role: 'agency_admin', agencyId },
        tx,
      );
      if (!user) throw new ProblemException(HttpStatus.CONFLICT, 'EMAIL_TAKEN');
      const actor = { id: user.id, role: user.role };
      await this.audit.append(tx, {
        actor,
        action: 'agency.signup',
        entityType: 'agency',
        entityId: agencyId,
        after: { ...agency, licenseStatus: 'pending_verification' },
      });
      await this.audit.append(tx, {
        actor,
        action: 'user.create',
        entityType: 'user',
        entityId: user.id,
        after: auditView(user),
      });
      return {
        agency: { id: agencyId, name: agency.name, licenseStatus: 'pending_verification' },
        user: toUserDto(user),
      };
    });
  }

  async listUsers(query: UserQueryDto): Promise<Page<AdminUserDto>> {
    const after = decodeKeyset(query.cursor, 'text');
    const rows = await this.users.list({
      role: query.role,
      agencyId: query.agencyId,
      after: after && { email: after.key, id: after.id },
      limit: query.limit + 1,
    });
    return toPage(rows, query.limit, toAdminUserDto, (row) => [row.email, row.id]);
  }

  /** Changes a user's role or disables the account; it takes effect on the user's next request. */
  async updateUser(admin: Actor, id: string, dto: UpdateUserDto): Promise<AdminUserDto> {
    if (!isUuid(id)) throw ProblemException.notFound();
    if (id === admin.id) throw new ProblemException(HttpStatus.CONFLICT, 'INVALID_TRANSITION');
    const user = await this.audit.transaction(async (tx) => {
      const current = await this.users.findById(id, tx);
      if (!current) throw ProblemException.notFound();
      if (dto.role && AGENCY_ROLES.includes(dto.role) !== Boolean(current.agencyId)) {
        throw ProblemException.validation([{ field: 'role', constraint: 'isRoleForUser' }]);
      }
      const updated = await this.users.update(tx, id, dto);
      await this.audit.append(tx, {
        actor: admin,
        action: dto.role && dto.role !== current.role ? 'user.role_change' : 'user.update',
        entityType: 'user',
        entityId: id,
        before: auditView(current),
        after: auditView(updated),
      });
      return updated;
    });
    return toAdminUserDto(user);
  }
}

/** What the audit log keeps of a user: never the password hash. */
function auditView(user: User): Record<string, unknown> {
  return { email: user.email, role: user.role, agencyId: user.agencyId, disabled: user.disabled };
}

function toAdminUserDto(user: User): AdminUserDto {
  return { ...toUserDto(user), disabled: user.disabled, createdAt: user.createdAt.toISOString() };
}

function toUserDto(user: User): UserDto {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    ...(user.agencyId ? { agencyId: user.agencyId } : {}),
  };
}
