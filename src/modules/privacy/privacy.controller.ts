import { Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser, Roles } from '../../common/auth/decorators';
import { StatusChangeResponseDto, toStatusChangeResponse } from '../history/dto/status-change-response.dto';
import { NotificationResponseDto, toNotificationResponse } from '../notifications/dto/notification-response.dto';
import { NotificationTexts } from '../notifications/messages';
import { OfferResponseDto, toOfferResponse } from '../offers/dto/offer-response.dto';
import { toUserResponse, UserResponseDto } from '../users/dto/user-response.dto';
import { PrivacyService } from './privacy.service';

class ExportedOfferDto extends OfferResponseDto {
  @ApiProperty({ type: StatusChangeResponseDto, isArray: true })
  history: StatusChangeResponseDto[];
}

class PersonalDataExportDto {
  @ApiProperty({ format: 'date-time' })
  exportedAt: string;

  @ApiProperty({ type: UserResponseDto })
  profile: UserResponseDto;

  @ApiProperty({ type: ExportedOfferDto, isArray: true })
  offers: ExportedOfferDto[];

  @ApiProperty({ type: NotificationResponseDto, isArray: true })
  notifications: NotificationResponseDto[];
}

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('api/me')
export class PrivacyController {
  constructor(
    private readonly privacy: PrivacyService,
    private readonly texts: NotificationTexts,
  ) {}

  @Get('export')
  @ApiOkResponse({ type: PersonalDataExportDto, description: 'All personal data and records of the caller' })
  async export(@CurrentUser() caller: AuthUser): Promise<PersonalDataExportDto> {
    const data = await this.privacy.export(caller);
    return {
      exportedAt: data.exportedAt.toISOString(),
      profile: toUserResponse(data.profile),
      offers: data.offers.map(({ offer, history }) => ({
        ...toOfferResponse(offer, { withAddress: true }),
        history: history.map(toStatusChangeResponse),
      })),
      notifications: data.notifications.map((n) => toNotificationResponse(this.texts, caller.language, n)),
    };
  }

  @Delete()
  @Roles('donor', 'volunteer')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Personal data erased; anonymised history kept; the token stops working' })
  async erase(@CurrentUser() caller: AuthUser): Promise<void> {
    await this.privacy.erase(caller);
  }
}

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('api/users')
export class UserErasureController {
  constructor(private readonly privacy: PrivacyService) {}

  @Delete(':id')
  @Roles('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'The user’s personal data erased on their behalf; anonymised history kept' })
  @ApiNotFoundResponse()
  async erase(@CurrentUser() admin: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.privacy.eraseByAdmin(admin, id);
  }
}
