import { ApiProperty } from '@nestjs/swagger';
import { Language, LANGUAGES } from '../../../common/i18n/languages';
import { Role, ROLES, User, Vehicle, VEHICLES } from '../entities/user.entity';

export class UserResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  email: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ enum: ROLES })
  role: Role;

  @ApiProperty({ nullable: true, type: String, description: 'The house of a coordinator' })
  houseSlug: string | null;

  @ApiProperty({ nullable: true, type: String })
  phone: string | null;

  @ApiProperty({ nullable: true, type: String })
  postcode: string | null;

  @ApiProperty({ nullable: true, type: String })
  town: string | null;

  @ApiProperty({ enum: VEHICLES })
  vehicle: Vehicle;

  @ApiProperty({ enum: LANGUAGES })
  language: Language;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export function toUserResponse(user: User): UserResponseDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    houseSlug: user.house?.slug ?? null,
    phone: user.phone,
    postcode: user.postcode,
    town: user.town,
    vehicle: user.vehicle,
    language: user.language,
    createdAt: user.createdAt.toISOString(),
  };
}

export class LoginResponseDto {
  @ApiProperty({ description: 'Send as "Authorization: Bearer <accessToken>"' })
  accessToken: string;

  @ApiProperty({ type: UserResponseDto })
  user: UserResponseDto;
}
