import {
  AdminUserDto,
  AdminUserPageDto,
  AuthService,
  AuthUser,
  CreateUserDto,
  CurrentUser,
  StaffController,
  UpdateUserDto,
  UserDto,
  UserQueryDto,
} from '@app/accounts';
import { Page } from '@app/core';
import { Body, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';

import { ApiProblems } from '../openapi';

@StaffController('admin/users', 'admin')
export class AdminUsersController {
  constructor(private readonly auth: AuthService) {}

  @Post()
  @ApiProblems({ 409: ['EMAIL_TAKEN'] })
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
  @ApiProblems({ 409: ['INVALID_TRANSITION'] })
  @ApiOkResponse({ type: AdminUserDto, description: 'An admin cannot change their own account here (409)' })
  update(
    @CurrentUser() admin: AuthUser,
    @Param('id') id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<AdminUserDto> {
    return this.auth.updateUser(admin, id, dto);
  }
}
