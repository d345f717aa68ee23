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

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({
    type: LoginResponseDto,
    description: 'At most 10 failures per 15 minutes per account and per IP',
  })
  login(@Body() dto: LoginDto, @Ip() ip: string): Promise<LoginResponseDto> {
    return this.auth.login(dto.email, dto.password, ip);
  }

  @Post('agency-signup')
  @ApiCreatedResponse({
    type: AgencySignupResponseDto,
    description:
      'The agency starts pending_verification until a regulator verifies its licence; 409 LICENSE_TAKEN or EMAIL_TAKEN; at most 10 per hour per address',
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
