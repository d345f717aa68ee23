import { defineFieldMessages } from '@app/core';

import catalogue from './recruiters.texts.json';

defineFieldMessages(catalogue.fields);
