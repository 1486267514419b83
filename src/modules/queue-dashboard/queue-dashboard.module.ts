import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { BullBoardModule } from '@bull-board/nestjs';
import { Module } from '@nestjs/common';
import { QueueName } from '../../queue/catalogue';
import { AuthModule } from '../auth/auth.module';
import { DASHBOARD_ROUTE, QueueDashboardAccess } from './queue-dashboard.access';

/** bull-board at /admin/queues over every queue of the catalogue, for admins (see QueueDashboardAccess). */
@Module({
  imports: [
    AuthModule,
    BullBoardModule.forRoot({
      route: DASHBOARD_ROUTE,
      adapter: FastifyAdapter,
      boardOptions: { uiConfig: { boardTitle: 'inkind queues' } },
    }),
    ...Object.values(QueueName).map((name) => BullBoardModule.forFeature({ name, adapter: BullMQAdapter })),
  ],
  providers: [QueueDashboardAccess],
  exports: [QueueDashboardAccess],
})
export class QueueDashboardModule {}
