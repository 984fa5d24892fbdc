/** The few icons the panel draws (Material Design paths), without a whole icon package. */
import { createSvgIcon } from '@mui/material/utils';

export const ArrowDropDownIcon = createSvgIcon(<path d="M7 10l5 5 5-5z" />, 'ArrowDropDown');
export const ArrowForwardIcon = createSvgIcon(<path d="M12 4l-1.41 1.41L16.17 11H4v2h12.17l-5.58 5.59L12 20l8-8z" />, 'ArrowForward');
