import { AppConfig, APP_CONFIG, PersonalDataCipher, ProblemException, RateLimiter } from '@app/core';
import { HttpStatus, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

import { CreateUserDto, LoginResponseDto, UserDto } from './dto/auth.dto';
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

const MAX_FAILURES = 10;
const FAILURE_WINDOW_SECONDS = 15 * 60;
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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Creates the bootstrap admin from configuration once, if absent. */
  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.bootstrapAdmin;
    if (!admin || (await this.users.findByEmail(admin.email))) return;
    await this.users.create({
      email: admin.email,
      passwordHash: await hashPassword(admin.password),
      role: 'admin',
      agencyId: null,
    });
    this.logger.log('bootstrap admin created');
  }

  async login(email: string, password: string, ip: string): Promise<LoginResponseDto> {
    const keys = [`login:account:${this.cipher.lookupHash(email.toLowerCase())}`, `login:ip:${ip}`];
    for (const key of keys) {
      if (await this.limiter.isOver(key, MAX_FAILURES))
        throw new ProblemException(429, 'RATE_LIMITED', {}, undefined, {
          'retry-after': String(FAILURE_WINDOW_SECONDS),
        });
    }
    const user = await this.users.findByEmail(email);
    const valid = await verifyPassword(user?.passwordHash ?? (await DUMMY_HASH), password);
    if (!user || !valid || user.disabled) {
      for (const key of keys) await this.limiter.hit(key, FAILURE_WINDOW_SECONDS);
      throw new ProblemException(HttpStatus.UNAUTHORIZED, 'INVALID_CREDENTIALS');
    }
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

  async me(id: string): Promise<UserDto> {
    const user = await this.users.findById(id);
    if (!user) throw new ProblemException(HttpStatus.UNAUTHORIZED, 'UNAUTHENTICATED');
    return toUserDto(user);
  }

  async createUser(dto: CreateUserDto): Promise<UserDto> {
    const isAgencyRole = AGENCY_ROLES.includes(dto.role);
    if (isAgencyRole !== Boolean(dto.agencyId)) {
      throw ProblemException.validation([
        { field: 'agencyId', constraint: isAgencyRole ? 'isDefined' : 'whitelistValidation' },
      ]);
    }
    const user = await this.users.create({
      email: dto.email,
      passwordHash: await hashPassword(dto.password),
      role: dto.role,
      agencyId: dto.agencyId ?? null,
    });
    if (!user) throw new ProblemException(HttpStatus.CONFLICT, 'EMAIL_TAKEN');
    return toUserDto(user);
  }
}

function toUserDto(user: User): UserDto {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    ...(user.agencyId ? { agencyId: user.agencyId } : {}),
  };
}
