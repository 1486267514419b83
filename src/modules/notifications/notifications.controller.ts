import { Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser } from '../../common/auth/decorators';
import { ApiPageResponse } from '../../common/pagination/api-page';
import { mapPage, Page, PageQueryDto } from '../../common/pagination/page';
import { Clock } from '../../common/time/clock';
import { NotificationResponseDto, toNotificationResponse } from './dto/notification-response.dto';
import { NotificationsService } from './notifications.service';
import { NotificationTexts } from './messages';

class ListNotificationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only the unread ones' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  unread?: boolean;
}

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/notifications')
export class NotificationsController {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    private readonly texts: NotificationTexts,
  ) {}

  @Get()
  @ApiPageResponse(NotificationResponseDto)
  async list(@CurrentUser() caller: AuthUser, @Query() query: ListNotificationsQueryDto): Promise<Page<NotificationResponseDto>> {
    return mapPage(await this.notifications.list(caller, query), (n) => toNotificationResponse(this.texts, caller.language, n));
  }

  @Post(':id/read')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: NotificationResponseDto })
  @ApiNotFoundResponse({ description: 'Unknown, or another person’s notification' })
  async read(@CurrentUser() caller: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<NotificationResponseDto> {
    return toNotificationResponse(this.texts, caller.language, await this.notifications.markRead(caller, id, this.clock.now()));
  }
}
