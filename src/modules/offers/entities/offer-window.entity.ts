import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Offer } from './offer.entity';

/** A time range in which the donor is at home for a pickup. */
@Entity({ name: 'offer_windows' })
export class OfferWindow {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'offer_id', type: 'uuid' })
  offerId: string;

  @ManyToOne(() => Offer, (offer) => offer.windows, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'offer_id' })
  offer?: Offer;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt: Date;
}
