import { OPEN_DATA_QUEUE, OpenDataJob } from '@app/open-data';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';

import { ReassertedSchedules, Schedule } from '../reasserted-schedules';

/**
 * The daily snapshot, asked for every hour (and at once when the schedule is first set): a run finds the
 * datasets that have no snapshot of today (Vietnam time) and takes them, so a worker that was down at
 * midnight catches up within the hour, and a day already taken costs one query per dataset.
 */
const SNAPSHOT_EVERY_MS = 3_600_000;

@Injectable()
export class OpenDataScheduler extends ReassertedSchedules {
  constructor(@InjectQueue(OPEN_DATA_QUEUE) queue: Queue) {
    super(queue);
  }

  protected schedules(): Schedule[] {
    return [{ name: OpenDataJob.Snapshot, everyMs: SNAPSHOT_EVERY_MS }];
  }
}
