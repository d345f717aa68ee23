import {
  AdminUserDto,
  AdminUserPageDto,
  AuthService,
  AuthUser,
  CreateUserDto,
  CurrentUser,
  JwtAuthGuard,
  Roles,
  RolesGuard,
  UpdateUserDto,
  UserDto,
  UserQueryDto,
} from '@app/accounts';
import { Page } from '@app/core';
import { Body, Controller, Get, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/users')
@UseGuards(JwtAuthGuard, RolesGuard)
@Roles('admin')
export class AdminUsersController {
  constructor(private readonly auth: AuthService) {}

  @Post()
  @ApiCreatedResponse({ type: UserDto })
  create(@CurrentUser() admin: AuthUser, @Body() dto: CreateUserDto): Promise<UserDto> {
    return this.auth.createUser(admin, dto);
  }

  @Get()
  @ApiOkResponse({ type: AdminUserPageDto })
  list(@Query() query: UserQueryDto): Promise<Page<AdminUserDto>> {
    return this.auth.listUsers(query);
  }

  @Patch(':id')
  @ApiOkResponse({ type: AdminUserDto, description: 'An admin cannot change their own account here (409)' })
  update(
    @CurrentUser() admin: AuthUser,
    @Param('id') id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<AdminUserDto> {
    return this.auth.updateUser(admin, id, dto);
  }
}
