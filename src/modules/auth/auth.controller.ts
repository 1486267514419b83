import { Body, Controller, Headers, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { AuthThrottlerGuard } from './auth-throttler.guard';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Public } from '../../common/auth/decorators';
import { LoginDto, RegisterDto } from '../users/dto/register.dto';
import { LoginResponseDto, toUserResponse, UserResponseDto } from '../users/dto/user-response.dto';
import { AuthService } from './auth.service';

@ApiTags('accounts')
@Public()
@UseGuards(AuthThrottlerGuard)
@ApiTooManyRequestsResponse({ description: 'Too many attempts; try again in a minute' })
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('register')
  @SkipThrottle({ 'login-email': true })
  @ApiCreatedResponse({ type: UserResponseDto, description: 'A donor or volunteer account' })
  @ApiConflictResponse({ description: 'The e-mail address has an account already' })
  async register(@Body() dto: RegisterDto, @Headers('accept-language') acceptLanguage?: string): Promise<UserResponseDto> {
    return toUserResponse(await this.auth.register(dto, acceptLanguage));
  }

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiUnauthorizedResponse({ description: 'Wrong e-mail address or password' })
  async login(@Body() dto: LoginDto): Promise<LoginResponseDto> {
    const { accessToken, user } = await this.auth.login(dto);
    return { accessToken, user: toUserResponse(user) };
  }
}
