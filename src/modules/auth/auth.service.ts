import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../../config/app-config';
import { LoginDto, RegisterDto } from '../users/dto/register.dto';
import { User } from '../users/entities/user.entity';
import { UsersService } from '../users/users.service';
import { wrongCredentials } from '../../common/errors/domain-error';

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  constructor(
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.ADMIN_EMAIL && this.config.ADMIN_PASSWORD) {
      await this.users.ensureAdmin(this.config.ADMIN_EMAIL, this.config.ADMIN_PASSWORD);
    }
  }

  register(dto: RegisterDto, acceptLanguage?: string): Promise<User> {
    return this.users.register(dto, acceptLanguage);
  }

  async login(dto: LoginDto): Promise<{ accessToken: string; user: User }> {
    const user = await this.users.verifyCredentials(dto.email, dto.password);
    if (!user) throw wrongCredentials();
    const accessToken = await this.jwt.signAsync({ sub: user.id, role: user.role });
    return { accessToken, user };
  }
}
