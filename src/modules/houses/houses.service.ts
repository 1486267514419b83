import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { House } from './entities/house.entity';

@Injectable()
export class HousesService {
  constructor(@InjectRepository(House) private readonly houses: Repository<House>) {}

  list(): Promise<House[]> {
    return this.houses.find({ order: { slug: 'ASC' } });
  }

  findBySlug(slug: string): Promise<House | null> {
    return this.houses.findOneBy({ slug });
  }
}
