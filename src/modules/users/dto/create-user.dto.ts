import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { IsText } from '../../../common/validation/decorators';
import { ProfileFieldsDto, normaliseEmail } from './register.dto';
import { Role, ROLES } from '../entities/user.entity';

export class CreateUserDto extends ProfileFieldsDto {
  @ApiProperty({ example: 'coordinator.hejmo@sos-kinderdorpen.be' })
  @normaliseEmail()
  @IsEmail({}, { message: 'email must be an e-mail address', context: { i18n: 'email' } })
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 10, maxLength: 200 })
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  password: string;

  @ApiProperty()
  @IsText(1, 100)
  name: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ example: 'hejmo', description: 'Required for a coordinator, refused for other roles' })
  @ValidateIf((dto: CreateUserDto) => dto.role === 'coordinator' || dto.houseSlug !== undefined)
  @Matches(/^[a-z][a-z0-9-]{1,39}$/, { message: 'houseSlug must be the slug of a house', context: { i18n: 'houseSlug' } })
  @IsString({ message: 'houseSlug is required for a coordinator', context: { i18n: 'houseSlugRequired' } })
  houseSlug?: string;
}
