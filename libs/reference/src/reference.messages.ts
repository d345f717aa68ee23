import { defineFieldMessages } from '@app/core';

import catalogue from './reference.texts.json';

defineFieldMessages(catalogue.fields);
