import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';

export class StartPhoneVerificationDto {
  @ApiProperty({ example: '0912345678', description: 'Vietnamese mobile: 0912345678, +84 912 345 678' })
  @IsString()
  @MaxLength(30)
  phone!: string;
}

export class PhoneVerificationStartedDto {
  @ApiProperty() verificationId!: string;
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt!: string;
}

export class ConfirmPhoneVerificationDto {
  @ApiProperty({ example: '123456', description: 'The 6 digits received by SMS' })
  @IsString()
  @Matches(/^\d{6}$/)
  code!: string;
}

export class ApplicantTokenDto {
  @ApiProperty({ description: 'Bearer token for /me/* and reviews' }) applicantToken!: string;
  @ApiProperty({ description: 'Seconds until it expires' }) expiresIn!: number;
}
