import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse } from '../../common/pagination/api-page';
import { Page } from '../../common/pagination/page';
import { ListUsersQueryDto } from './dto/list-users.dto';
import { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser, Roles } from '../../common/auth/decorators';
import { CreateUserDto } from './dto/create-user.dto';
import { UpdateProfileDto } from './dto/register.dto';
import { toUserResponse, UserResponseDto } from './dto/user-response.dto';
import { User } from './entities/user.entity';
import { UsersService } from './users.service';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('api')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @ApiOkResponse({ type: UserResponseDto })
  async me(@CurrentUser() caller: AuthUser): Promise<UserResponseDto> {
    return toUserResponse((await this.users.findActive(caller.id)) as User);
  }

  @Patch('me')
  @ApiOkResponse({ type: UserResponseDto, description: 'Name, phone, postcode, town, vehicle and language; e-mail, role and house are not the caller’s to change' })
  async updateMe(@CurrentUser() caller: AuthUser, @Body() dto: UpdateProfileDto): Promise<UserResponseDto> {
    return toUserResponse(await this.users.updateProfile(caller, dto));
  }

  @Get('users')
  @Roles('admin')
  @ApiPageResponse(UserResponseDto)
  @ApiBadRequestResponse({ description: 'A filter that is not valid, or a house that does not exist' })
  async list(@Query() query: ListUsersQueryDto): Promise<Page<UserResponseDto>> {
    const page = await this.users.list(query);
    return { items: page.items.map(toUserResponse), nextCursor: page.nextCursor };
  }

  @Post('users')
  @Roles('admin')
  @HttpCode(HttpStatus.CREATED)
  @ApiCreatedResponse({ type: UserResponseDto, description: 'Any role; a coordinator is bound to houseSlug' })
  @ApiConflictResponse({ description: 'The e-mail address has an account already' })
  async create(@Body() dto: CreateUserDto, @Headers('accept-language') acceptLanguage?: string): Promise<UserResponseDto> {
    return toUserResponse(await this.users.createByAdmin(dto, acceptLanguage));
  }
}
