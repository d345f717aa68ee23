import {
  AgencySignupDto,
  AgencySignupResponseDto,
  AuthService,
  AuthUser,
  CurrentUser,
  JwtAuthGuard,
  LoginDto,
  LoginResponseDto,
  UserDto,
} from '@app/accounts';
import { Body, Controller, Get, HttpCode, HttpStatus, Ip, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { ApiProblems } from '../openapi';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @ApiProblems({ 401: ['INVALID_CREDENTIALS'], 429: ['RATE_LIMITED'] })
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({
    type: LoginResponseDto,
    description: 'At most 10 failures per 15 minutes per account and per IP',
  })
  login(@Body() dto: LoginDto, @Ip() ip: string): Promise<LoginResponseDto> {
    return this.auth.login(dto.email, dto.password, ip);
  }

  @Post('agency-signup')
  @ApiProblems({ 409: ['LICENSE_TAKEN', 'EMAIL_TAKEN'], 429: ['RATE_LIMITED'] })
  @ApiCreatedResponse({
    type: AgencySignupResponseDto,
    description:
      'The agency starts pending_verification until a regulator verifies its licence; 409 LICENSE_TAKEN or ' +
      'EMAIL_TAKEN; at most 10 per hour per address. EMAIL_TAKEN tells whether an email has an account, ' +
      'deliberately: without proof that the caller owns the email there is nothing better to answer. Only a ' +
      'few such answers are given per client address and per hour (RATE_LIMIT_SIGNUP_EMAIL_TAKEN_*); once ' +
      'they are spent every sign-up from there is a 429 RATE_LIMITED, whether or not its email is taken.',
  })
  signup(@Body() dto: AgencySignupDto, @Ip() ip: string): Promise<AgencySignupResponseDto> {
    return this.auth.signupAgency(dto, ip);
  }

  @Get('me')
  @ApiBearerAuth()
  @UseGuards(JwtAuthGuard)
  @ApiOkResponse({ type: UserDto })
  me(@CurrentUser() user: AuthUser): Promise<UserDto> {
    return this.auth.me(user.id);
  }
}
