import MilitaryTechIcon from '@mui/icons-material/MilitaryTech';
import { lazyViews } from '../common/lazyViews';

const views = lazyViews(() => import('./BadgeViews'));

export default { list: views('BadgeList'), show: views('BadgeShow'), edit: views('BadgeEdit'), create: views('BadgeCreate'), icon: MilitaryTechIcon, recordRepresentation: 'name' };
