import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page';
import { Role, ROLES } from '../entities/user.entity';

/** The admin's list of accounts: erased ones are left out, the newest first. */
export class ListUsersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ example: 'hejmo', description: 'A house slug: the coordinators of that house' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  house?: string;

  @ApiPropertyOptional({ example: 'peeters', description: 'Part of the name or of the e-mail address, in any case' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}
