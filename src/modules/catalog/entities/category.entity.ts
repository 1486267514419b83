import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'categories' })
export class Category {
  @PrimaryColumn({ type: 'text' })
  code: string;

  @Column({ name: 'label_nl', type: 'text' })
  labelNl: string;

  @Column({ name: 'label_fr', type: 'text' })
  labelFr: string;

  @Column({ name: 'label_en', type: 'text' })
  labelEn: string;

  @Column({ type: 'smallint' })
  position: number;
}
