import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsBelgianPostcode, IsOptionalNotNull, IsText, Trim } from '../../../common/validation/decorators';
import { SELF_REGISTERED_ROLES, VEHICLES, Vehicle } from '../entities/user.entity';
import { Language, LANGUAGES } from '../../../common/i18n/languages';

export const normaliseEmail = () => Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value));

export class LoginDto {
  @ApiProperty({ example: 'an.peeters@example.be' })
  @normaliseEmail()
  @IsString()
  @MaxLength(254)
  email: string;

  @ApiProperty()
  @IsString()
  @MaxLength(200)
  password: string;
}

export class ProfileFieldsDto {
  @ApiPropertyOptional({ example: '+32 470 12 34 56', description: 'Seen only by those who need it for a pickup' })
  @IsOptional()
  @Trim()
  @IsString()
  @Matches(/^\+?[0-9 ./()-]{6,20}$/, { message: 'phone must be a phone number', context: { i18n: 'phone' } })
  phone?: string;

  @ApiPropertyOptional({ example: '9000', description: 'Belgian postcode (4 digits)' })
  @IsOptional()
  @IsBelgianPostcode()
  postcode?: string;

  @ApiPropertyOptional({ example: 'Gent' })
  @IsOptional()
  @IsText(1, 100)
  town?: string;

  @ApiPropertyOptional({ enum: VEHICLES, default: 'none', description: 'What a volunteer drives' })
  @IsOptionalNotNull()
  @IsIn(VEHICLES)
  vehicle?: Vehicle;

  @ApiPropertyOptional({ enum: LANGUAGES, description: 'For notifications, e-mails and the calendar; by default from Accept-Language, else nl' })
  @IsOptionalNotNull()
  @IsIn(LANGUAGES)
  language?: Language;
}

/** What a user may change of their own profile (e-mail, role and house are not among it). */
export class UpdateProfileDto extends ProfileFieldsDto {
  @ApiPropertyOptional({ example: 'An Peeters' })
  @IsOptionalNotNull()
  @IsText(1, 100)
  name?: string;
}

export class RegisterDto extends ProfileFieldsDto {
  @ApiProperty({ example: 'an.peeters@example.be' })
  @normaliseEmail()
  @IsEmail({}, { message: 'email must be an e-mail address', context: { i18n: 'email' } })
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 10, maxLength: 200 })
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  password: string;

  @ApiProperty({ example: 'An Peeters' })
  @IsText(1, 100)
  name: string;

  @ApiProperty({ enum: SELF_REGISTERED_ROLES, description: 'Coordinators and admins are created by an admin' })
  @IsIn(SELF_REGISTERED_ROLES)
  role: (typeof SELF_REGISTERED_ROLES)[number];
}
