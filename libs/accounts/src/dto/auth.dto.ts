import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsAgencyHotline, IsAgencyWebsite } from '@app/agencies';
import { IsText, PageQueryDto } from '@app/core';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsUUID, Matches, MaxLength } from 'class-validator';

import { Role, ROLES } from '../user.entity';

export class LoginDto {
  @ApiProperty()
  @IsEmail()
  @MaxLength(200)
  email!: string;

  @ApiProperty()
  @IsText(0, 200)
  password!: string;
}

export class UserDto {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiPropertyOptional({ type: String }) agencyId?: string;
}

export class LoginResponseDto {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ description: 'Seconds' }) expiresIn!: number;
  @ApiProperty({ type: UserDto }) user!: UserDto;
}

export class CreateUserDto {
  @ApiProperty()
  @IsEmail()
  @MaxLength(200)
  email!: string;

  @ApiProperty({ minLength: 12 })
  @IsText(12, 200)
  password!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({ description: 'Required for agency roles, forbidden otherwise' })
  @IsOptional()
  @IsUUID()
  agencyId?: string;
}

export class AgencySignupDto {
  @ApiProperty({ example: 'Công ty Cổ phần Nhân lực Năm Châu' })
  @IsText(2, 200)
  agencyName!: string;

  @ApiProperty({ example: '123/LĐTBXH-GP', description: 'Licence number for overseas labour services' })
  @IsText(3, 60)
  licenseNumber!: string;

  @ApiProperty({ example: '0101234567', description: 'Mã số doanh nghiệp: 10 digits, or 13 for a branch' })
  @Matches(/^\d{10}(-?\d{3})?$/)
  enterpriseCode!: string;

  @ApiProperty()
  @IsEmail()
  @MaxLength(200)
  email!: string;

  @ApiProperty({ minLength: 12 })
  @IsText(12, 200)
  password!: string;

  @ApiPropertyOptional({ example: 'Hà Nội', description: 'Head-office province, new or former name' })
  @IsOptional()
  @IsText(0, 80)
  province?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsText(0, 300)
  address?: string;

  @ApiPropertyOptional({ example: '024 3333 8888' })
  @IsOptional()
  @IsAgencyHotline()
  hotline?: string;

  @ApiPropertyOptional({ example: 'https://namchau.example.vn' })
  @IsOptional()
  @IsAgencyWebsite()
  website?: string;
}

export class SignupAgencyDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'pending_verification' }) licenseStatus!: string;
}

export class AgencySignupResponseDto {
  @ApiProperty({ type: SignupAgencyDto }) agency!: SignupAgencyDto;
  @ApiProperty({ type: UserDto }) user!: UserDto;
}

export class AdminUserDto extends UserDto {
  @ApiProperty() disabled!: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
}

export class AdminUserPageDto {
  @ApiProperty({ type: [AdminUserDto] }) items!: AdminUserDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class UserQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  agencyId?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ enum: ROLES, description: 'Agency roles need the user to belong to an agency' })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ description: 'A disabled account is refused on its next request' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}
